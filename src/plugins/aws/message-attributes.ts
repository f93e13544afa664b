// SQS and SNS carry the trace in message attributes, one String attribute per trace header.
// Pure functions over command inputs and outputs: they copy what they change and never touch the
// user's objects, except `stripAdded`, which takes back from a ReceiveMessage reply exactly the
// attributes we asked for on the user's behalf.

/** SQS accepts at most 10 message attributes per message (SNS delivers at most 10 to SQS). */
export const MAX_MESSAGE_ATTRIBUTES = 10;

type Input = Readonly<Record<string, unknown>>;
type Attributes = Record<string, unknown>;

export interface InjectedInput {
  /** The input to send instead of the user's (a copy), or null when nothing changed. */
  readonly input: Input | null;
  /** Messages sent without trace attributes because they had no room left. */
  readonly skipped: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** `attributes` plus the trace headers ([name, value, ...]), or null when they would exceed the limit. */
export function withTraceAttributes(attributes: unknown, headers: readonly string[]): Attributes | null {
  const result: Attributes = isObject(attributes) ? { ...attributes } : {};
  for (let i = 0; i < headers.length; i += 2) result[headers[i]!] = { DataType: 'String', StringValue: headers[i + 1]! };
  return Object.keys(result).length > MAX_MESSAGE_ATTRIBUTES ? null : result;
}

/** Where each operation keeps its messages: the input itself, or a list of entries. */
const SENDS: Readonly<Record<string, string | null>> = Object.freeze({
  'SQS.SendMessage': null,
  'SQS.SendMessageBatch': 'Entries',
  'SNS.Publish': null,
  'SNS.PublishBatch': 'PublishBatchRequestEntries',
});

export function isSendOperation(serviceId: string, operation: string): boolean {
  return Object.prototype.hasOwnProperty.call(SENDS, `${serviceId}.${operation}`);
}

/** The input of a send operation with the trace headers in each message's attributes. */
export function injectTraceAttributes(serviceId: string, operation: string, input: Input, headers: readonly string[]): InjectedInput {
  const list = SENDS[`${serviceId}.${operation}`];
  if (list === undefined || headers.length === 0) return { input: null, skipped: 0 };
  if (list === null) {
    const attributes = withTraceAttributes(input.MessageAttributes, headers);
    return attributes === null ? { input: null, skipped: 1 } : { input: { ...input, MessageAttributes: attributes }, skipped: 0 };
  }
  const entries = input[list];
  if (!Array.isArray(entries)) return { input: null, skipped: 0 };
  let skipped = 0;
  const traced = entries.map((entry: unknown) => {
    if (!isObject(entry)) return entry;
    const attributes = withTraceAttributes(entry.MessageAttributes, headers);
    if (attributes === null) {
      skipped++;
      return entry;
    }
    return { ...entry, MessageAttributes: attributes };
  });
  return { input: skipped === entries.length ? null : { ...input, [list]: traced }, skipped };
}

function asks(names: readonly unknown[], name: string): boolean {
  for (const asked of names) {
    if (asked === name || asked === 'All' || asked === '.*') return true;
    if (typeof asked === 'string' && asked.endsWith('.*') && name.startsWith(asked.slice(0, -2))) return true;
  }
  return false;
}

export interface ReceiveRequest {
  readonly input: Input;
  /** Attribute names we asked for that the user did not: taken back out of the reply. */
  readonly added: readonly string[];
  /** Whether the user asked for any message attribute at all. */
  readonly userAskedAny: boolean;
}

/** A ReceiveMessage input that also asks for `names`, or null when the user already asks for them. */
export function askForTraceAttributes(input: Input, names: readonly string[]): ReceiveRequest | null {
  const asked = Array.isArray(input.MessageAttributeNames) ? (input.MessageAttributeNames as unknown[]) : [];
  const added = names.filter((name) => !asks(asked, name));
  if (added.length === 0) return null;
  return { input: { ...input, MessageAttributeNames: [...asked, ...added] }, added, userAskedAny: asked.length > 0 };
}

/** Takes out of one received message the attributes only we asked for; the rest stays as SQS sent it. */
export function stripAdded(message: Record<string, unknown>, request: ReceiveRequest): void {
  const attributes = message.MessageAttributes;
  if (!isObject(attributes)) return;
  for (const name of request.added) delete attributes[name];
  if (!request.userAskedAny || Object.keys(attributes).length === 0) {
    delete message.MessageAttributes;
    delete message.MD5OfMessageAttributes;
  }
}

/**
 * The trace headers of a received message as a lowercase header record: from its attributes
 * (`{ StringValue }`), or, for an SNS notification delivered to SQS without raw delivery, from
 * the notification's own `MessageAttributes` (`{ Value }`) in the body.
 */
export function traceHeadersOfMessage(message: unknown): Record<string, string> | null {
  if (!isObject(message)) return null;
  const headers = headersOf(message.MessageAttributes);
  if (headers !== null) return headers;
  const body = message.Body;
  if (typeof body !== 'string' || !body.startsWith('{') || !body.includes('"MessageAttributes"')) return null;
  try {
    const notification = JSON.parse(body) as unknown;
    return isObject(notification) ? headersOf(notification.MessageAttributes) : null;
  } catch {
    return null; // a body that only looks like JSON
  }
}

function headersOf(attributes: unknown): Record<string, string> | null {
  if (!isObject(attributes)) return null;
  let headers: Record<string, string> | null = null;
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!isObject(attribute)) continue;
    const value = attribute.StringValue ?? attribute.Value;
    if (typeof value === 'string') (headers ??= {})[name.toLowerCase()] = value;
  }
  return headers;
}
