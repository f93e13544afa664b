/**
 * The trace headers found in a carrier, read in one pass over its keys. Header names match
 * case-insensitively; a list header sent several times (an array value) is joined with commas, a
 * single-valued one sent several times is ignored, as W3C Trace Context requires for `traceparent`.
 */
export class TraceHeaders {
  uberTraceId: string | undefined = undefined;
  jaegerDebugId: string | undefined = undefined;
  jaegerBaggage: string | undefined = undefined;
  /** `uberctx-*` headers as [key without prefix, value, ...]. */
  uberctx: string[] | null = null;
  traceparent: string | undefined = undefined;
  tracestate: string | undefined = undefined;
  baggage: string | undefined = undefined;
  b3: string | undefined = undefined;
  b3TraceId: string | undefined = undefined;
  b3SpanId: string | undefined = undefined;
  b3ParentSpanId: string | undefined = undefined;
  b3Sampled: string | undefined = undefined;
  b3Flags: string | undefined = undefined;

  get hasBaggage(): boolean {
    return this.uberctx !== null || this.baggage !== undefined || this.jaegerBaggage !== undefined;
  }
}

const UBERCTX = 'uberctx-';

function single(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
  return undefined;
}

function list(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((item): item is string => typeof item === 'string');
  return strings.length > 0 ? strings.join(',') : undefined;
}

/** Whether `key` starts with `lower` (lowercase letters, digits, dashes), in any case. */
function named(key: string, lower: string): boolean {
  if (key === lower) return true;
  for (let i = 0; i < lower.length; i++) {
    const expected = lower.charCodeAt(i);
    const code = key.charCodeAt(i);
    // Only letters fold: '-' | 0x20 would also match a carriage return.
    if (code !== expected && (expected < 0x61 || (code | 0x20) !== expected)) return false;
  }
  return true;
}

/** Stores `record[key]` if `key` names a trace header; returns whether it did. */
function take(headers: TraceHeaders, key: string, record: Record<string, unknown>): boolean {
  const length = key.length;
  if (length < 2) return false;
  // Dispatch on the first letter and the length so most request headers cost two comparisons.
  switch (key.charCodeAt(0) | 0x20) {
    case 0x75: // u
      if (length === 13 && named(key, 'uber-trace-id')) return (headers.uberTraceId = single(record[key])) !== undefined;
      if (length > 8 && named(key, UBERCTX)) {
        const text = single(record[key]);
        if (text === undefined) return false;
        (headers.uberctx ??= []).push(key.slice(8), text);
        return true;
      }
      return false;
    case 0x6a: // j
      if (length === 15 && named(key, 'jaeger-debug-id')) return (headers.jaegerDebugId = single(record[key])) !== undefined;
      if (length === 14 && named(key, 'jaeger-baggage')) return (headers.jaegerBaggage = list(record[key])) !== undefined;
      return false;
    case 0x74: // t
      if (length === 11 && named(key, 'traceparent')) return (headers.traceparent = single(record[key])) !== undefined;
      if (length === 10 && named(key, 'tracestate')) return (headers.tracestate = list(record[key])) !== undefined;
      return false;
    case 0x62: // b
      if (length === 7 && named(key, 'baggage')) return (headers.baggage = list(record[key])) !== undefined;
      if (length === 2 && named(key, 'b3')) return (headers.b3 = single(record[key])) !== undefined;
      return false;
    case 0x78: // x
      // x-b3-*: test 'b' and '3' before lowercasing, as x-forwarded-for and friends are common.
      return length >= 10 && length <= 17 && (key.charCodeAt(2) | 0x20) === 0x62 && key.charCodeAt(3) === 0x33 &&
        takeB3(headers, key.toLowerCase(), record[key]);
    default:
      return false;
  }
}

function takeB3(headers: TraceHeaders, lower: string, value: unknown): boolean {
  switch (lower) {
    case 'x-b3-traceid': return (headers.b3TraceId = single(value)) !== undefined;
    case 'x-b3-spanid': return (headers.b3SpanId = single(value)) !== undefined;
    case 'x-b3-parentspanid': return (headers.b3ParentSpanId = single(value)) !== undefined;
    case 'x-b3-sampled': return (headers.b3Sampled = single(value)) !== undefined;
    case 'x-b3-flags': return (headers.b3Flags = single(value)) !== undefined;
    default: return false;
  }
}

/** Reads every trace header of `carrier`; null when it holds none (the common case). */
export function readTraceHeaders(carrier: object): TraceHeaders | null {
  const record = carrier as Record<string, unknown>;
  const headers = new TraceHeaders();
  let found = false;
  for (const key in record) {
    if (Object.prototype.hasOwnProperty.call(record, key) && take(headers, key, record)) found = true;
  }
  return found ? headers : null;
}

/**
 * Writes `writes` ([name, value, ...]) into `carrier`. A header already there under another case
 * of the same name, or one of `owned` (every header our formats write, so that a carrier injected
 * twice keeps no stale field), is removed first: a request never carries two `traceparent`s.
 */
export function writeHeaders(carrier: Record<string, unknown>, writes: readonly string[], owned: ReadonlySet<string>): void {
  for (const key in carrier) {
    if (!Object.prototype.hasOwnProperty.call(carrier, key)) continue;
    const lower = key.toLowerCase();
    if (owned.has(lower) || isWritten(writes, key, lower)) delete carrier[key];
  }
  for (let i = 0; i < writes.length; i += 2) carrier[writes[i]!] = writes[i + 1];
}

function isWritten(writes: readonly string[], key: string, lower: string): boolean {
  // Only baggage keys keep their case when written, so a lowercase key can clash only with those.
  if (key === lower && !lower.startsWith(UBERCTX)) return false;
  for (let i = 0; i < writes.length; i += 2) {
    const name = writes[i]!;
    if (name !== key && name.toLowerCase() === lower) return true;
  }
  return false;
}
