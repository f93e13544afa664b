// AWS SDK for JavaScript v3: one client span per API call, named `{service}.{Operation}`
// (`S3.GetObject`, `DynamoDB.GetItem`), active while the SDK works so the node:http span of each
// attempt is its child. SQS and SNS sends carry the trace in message attributes; ReceiveMessage
// asks for them and gives them back only as the context of each message (`sqsMessageContext`).
// Trace headers never go into the SDK's request: node:http adds them after signing.
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { SMITHY_CLIENT_PACKAGES, installedAwsClientPackages, patchAwsExports } from '../hooks/aws-sdk.js';
import type { AwsSendMessage } from '../hooks/aws-sdk.js';
import { HOOK_AWS_SDK_SEND } from '../hooks/channels.js';
import { hideChildUrlPaths, startClientSpanNamed } from '../semantics/client-span.js';
import type { Span } from '../tracer/span.js';
import type { Tracer } from '../tracer/tracer.js';
import { askForTraceAttributes, injectTraceAttributes, isSendOperation, stripAdded, traceHeadersOfMessage } from './aws/message-attributes.js';
import type { ReceiveRequest } from './aws/message-attributes.js';
import { rememberMessageContext } from './aws/message-context.js';
import { serviceTagsOf } from './aws/services.js';
import type { AwsInput, AwsTagOptions } from './aws/services.js';
import type { IntegrationContext } from './integration.js';
import { defineIntegration } from './lifecycle.js';

const NAME = 'aws-sdk';

interface Call {
  readonly span: Span;
  readonly tracer: Tracer;
  readonly config: object | null;
  readonly regionTagged: boolean;
  readonly receive: ReceiveRequest | null;
  readonly receives: boolean;
}

const calls = new WeakMap<AwsSendMessage, Call>();
const regions = new WeakMap<object, string>();

type ClientConfig = { serviceId?: unknown; region?: unknown };

function configOf(client: object): ClientConfig | null {
  const config = (client as { config?: unknown }).config;
  return config !== null && typeof config === 'object' ? (config as ClientConfig) : null;
}

/** `S3`, `DynamoDB`, …: the SDK's `serviceId`, else the client class name without `Client`. */
export function serviceIdOf(client: object, config: ClientConfig | null): string {
  if (typeof config?.serviceId === 'string' && config.serviceId !== '') return config.serviceId;
  const name = client.constructor?.name ?? '';
  return name.endsWith('Client') && name.length > 6 ? name.slice(0, -6) : name || 'AWS';
}

/** `GetItem` for `GetItemCommand`, and for lib-dynamodb's `GetCommand` (which wraps one). */
export function operationOf(command: object): string {
  const wrapped = (command as { clientCommand?: unknown }).clientCommand;
  const name = (wrapped !== null && typeof wrapped === 'object' ? wrapped : command).constructor?.name ?? '';
  return name.endsWith('Command') && name.length > 7 ? name.slice(0, -7) : name || 'Unknown';
}

/** The region as a string when known now; a region provider is asked once per client config. */
function regionOf(config: ClientConfig): string | undefined {
  const region = config.region;
  if (typeof region === 'string') return region;
  const known = regions.get(config);
  if (known !== undefined || typeof region !== 'function') return known;
  try {
    const pending = (region as () => unknown)();
    if (pending !== null && typeof pending === 'object' && typeof (pending as PromiseLike<unknown>).then === 'function') {
      (pending as PromiseLike<unknown>).then((value) => { if (typeof value === 'string') regions.set(config, value); }, () => {});
    } else if (typeof pending === 'string') {
      regions.set(config, pending);
      return pending;
    }
  } catch {
    // the SDK reports a bad region itself
  }
  return undefined;
}

function inputOf(command: object): AwsInput {
  const input = (command as { input?: unknown }).input;
  return input !== null && typeof input === 'object' ? (input as AwsInput) : {};
}

/** The span of a call, started in the caller's context; what `start` makes active. */
function startCall(context: IntegrationContext, tagOptions: AwsTagOptions, message: AwsSendMessage): Span | undefined {
  const tracer = context.tracer();
  if (tracer === null) return undefined;
  const config = configOf(message.client);
  const serviceId = serviceIdOf(message.client, config);
  const operation = operationOf(message.command);
  const input = inputOf(message.command);
  const span = startClientSpanNamed(tracer, `${serviceId}.${operation}`, NAME);
  const region = config === null ? undefined : regionOf(config);
  if (span.isRecording) {
    span.setTag('aws.service', serviceId);
    span.setTag('aws.operation', operation);
    if (region !== undefined) span.setTag('aws.region', region);
    serviceTagsOf(serviceId)?.(operation, input, tagOptions, (key, value) => span.setTag(key, value));
    // The HTTP spans of an S3 call would show the object key in their URL's path.
    if (serviceId === 'S3' && !tagOptions.s3Keys) hideChildUrlPaths(span);
  }
  let receive: ReceiveRequest | null = null;
  const receives = serviceId === 'SQS' && operation === 'ReceiveMessage';
  if (isSendOperation(serviceId, operation)) {
    const injected = injectTraceAttributes(serviceId, operation, input, tracer._traceHeaders(span));
    if (injected.input !== null) message.input = injected.input;
    if (injected.skipped > 0) span.setTag('aws.messaging.propagation_skipped', injected.skipped);
  } else if (receives) {
    const headers = tracer._traceHeaders(span);
    const names: string[] = [];
    for (let i = 0; i < headers.length; i += 2) names.push(headers[i]!);
    receive = askForTraceAttributes(input, names);
    if (receive !== null) message.input = receive.input;
  }
  calls.set(message, { span, tracer, config, regionTagged: region !== undefined, receive, receives });
  return span;
}

type Metadata = { httpStatusCode?: unknown; requestId?: unknown; extendedRequestId?: unknown; attempts?: unknown };

function tagMetadata(span: Span, metadata: unknown): void {
  if (metadata === null || typeof metadata !== 'object') return;
  const { httpStatusCode, requestId, extendedRequestId, attempts } = metadata as Metadata;
  if (typeof requestId === 'string') span.setTag('aws.request_id', requestId);
  if (typeof extendedRequestId === 'string') span.setTag('aws.request_id2', extendedRequestId);
  if (typeof httpStatusCode === 'number') span.setTag('http.status_code', httpStatusCode);
  if (typeof attempts === 'number' && attempts > 0) span.setTag('aws.retry_attempts', attempts - 1);
}

/** Remembers each received message's context, then takes out the attributes only we asked for. */
function settleReceive(call: Call, output: Record<string, unknown> | undefined): void {
  const messages = output?.Messages;
  if (!Array.isArray(messages)) return;
  for (const message of messages as unknown[]) {
    if (message === null || typeof message !== 'object') continue;
    const headers = traceHeadersOfMessage(message);
    const remote = headers === null ? null : call.tracer.extract(FORMAT_HTTP_HEADERS, headers);
    if (remote !== null) rememberMessageContext(message, remote);
    if (call.receive !== null) stripAdded(message as Record<string, unknown>, call.receive);
  }
}

function finishCall(message: AwsSendMessage): void {
  const call = calls.get(message);
  if (call === undefined) return;
  calls.delete(message);
  const span = call.span;
  if (call.receives && message.error === undefined) settleReceive(call, message.output);
  if (span.isRecording) {
    if (!call.regionTagged && call.config !== null) {
      const region = regions.get(call.config);
      if (region !== undefined) span.setTag('aws.region', region);
    }
    const failure = message.error;
    if (failure === undefined) {
      tagMetadata(span, message.output?.$metadata);
    } else {
      tagMetadata(span, (failure as { $metadata?: unknown } | null)?.$metadata);
      span.setTag('error', true);
      const kind = failure instanceof Error ? failure.name : typeof failure;
      span.log({ event: 'error', 'error.kind': kind, message: failure instanceof Error ? failure.message : String(failure) });
    }
  }
  span.finish();
}

/** Wraps the shared `send` reachable from a loaded module; one undo for all it wrapped. */
function patchModule(exports: unknown): (() => void) | null {
  const undo = patchAwsExports(exports);
  return undo.length === 0 ? null : () => { for (const restore of undo.reverse()) restore(); };
}

export const awsSdkIntegration = defineIntegration({
  name: NAME,
  // Read at each enable: the client packages installed now (found by listing, so pnpm's
  // unhoisted layouts work too), and the packages that have held the shared Client class.
  get packages(): readonly string[] {
    return [...installedAwsClientPackages(), ...SMITHY_CLIENT_PACKAGES.map((entry) => entry.name)];
  },
  setup(context) {
    const tagOptions: AwsTagOptions = Object.freeze({ s3Keys: context.options.recordS3Keys });
    return {
      tracingChannels: [{
        channel: HOOK_AWS_SDK_SEND,
        activeSpan: (message: AwsSendMessage) => startCall(context, tagOptions, message),
        error: finishCall,
        asyncEnd: finishCall,
      }],
      moduleHooks: [
        ...installedAwsClientPackages().map((name) => ({ name, versions: '*', patch: patchModule })),
        ...SMITHY_CLIENT_PACKAGES.map((entry) => ({ ...entry, patch: patchModule })),
      ],
    };
  },
});
