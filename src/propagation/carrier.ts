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

/**
 * Every trace header `TraceHeaders` reads, but the `uberctx-*` family (found only by listing all
 * headers): what a server that can ask for one header at a time must ask for.
 */
export const TRACE_HEADER_NAMES: readonly string[] = Object.freeze([
  'traceparent', 'tracestate', 'baggage', 'uber-trace-id', 'jaeger-debug-id', 'jaeger-baggage',
  'b3', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags',
]);

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

// Which TraceHeaders field a header name is.
const NONE = 0;
const UBER_TRACE_ID = 1;
const UBER_CTX = 2;
const JAEGER_DEBUG_ID = 3;
const JAEGER_BAGGAGE = 4;
const TRACEPARENT = 5;
const TRACESTATE = 6;
const BAGGAGE = 7;
const B3 = 8;
const B3_TRACE_ID = 9;
const B3_SPAN_ID = 10;
const B3_PARENT_SPAN_ID = 11;
const B3_SAMPLED = 12;
const B3_FLAGS = 13;

/** The trace header `key` names (any case), or NONE. */
function fieldOf(key: string): number {
  const length = key.length;
  if (length < 2) return NONE;
  // Dispatch on the first letter and the length so most request headers cost two comparisons.
  switch (key.charCodeAt(0) | 0x20) {
    case 0x75: // u
      if (length === 13 && named(key, 'uber-trace-id')) return UBER_TRACE_ID;
      return length > 8 && named(key, UBERCTX) ? UBER_CTX : NONE;
    case 0x6a: // j
      if (length === 15 && named(key, 'jaeger-debug-id')) return JAEGER_DEBUG_ID;
      return length === 14 && named(key, 'jaeger-baggage') ? JAEGER_BAGGAGE : NONE;
    case 0x74: // t
      if (length === 11 && named(key, 'traceparent')) return TRACEPARENT;
      return length === 10 && named(key, 'tracestate') ? TRACESTATE : NONE;
    case 0x62: // b
      if (length === 7 && named(key, 'baggage')) return BAGGAGE;
      return length === 2 && named(key, 'b3') ? B3 : NONE;
    case 0x78: // x
      // x-b3-*: test 'b' and '3' before lowercasing, as x-forwarded-for and friends are common.
      return length >= 10 && length <= 17 && (key.charCodeAt(2) | 0x20) === 0x62 && key.charCodeAt(3) === 0x33
        ? b3FieldOf(key.toLowerCase())
        : NONE;
    default:
      return NONE;
  }
}

function b3FieldOf(lower: string): number {
  switch (lower) {
    case 'x-b3-traceid': return B3_TRACE_ID;
    case 'x-b3-spanid': return B3_SPAN_ID;
    case 'x-b3-parentspanid': return B3_PARENT_SPAN_ID;
    case 'x-b3-sampled': return B3_SAMPLED;
    case 'x-b3-flags': return B3_FLAGS;
    default: return NONE;
  }
}

/** Stores `value` (a carrier's value: string or array) as `field`; returns whether it did. */
function store(headers: TraceHeaders, field: number, key: string, value: unknown): boolean {
  switch (field) {
    case UBER_TRACE_ID: return (headers.uberTraceId = single(value)) !== undefined;
    case UBER_CTX: {
      const text = single(value);
      if (text === undefined) return false;
      (headers.uberctx ??= []).push(key.slice(8), text);
      return true;
    }
    case JAEGER_DEBUG_ID: return (headers.jaegerDebugId = single(value)) !== undefined;
    case JAEGER_BAGGAGE: return (headers.jaegerBaggage = list(value)) !== undefined;
    case TRACEPARENT: return (headers.traceparent = single(value)) !== undefined;
    case TRACESTATE: return (headers.tracestate = list(value)) !== undefined;
    case BAGGAGE: return (headers.baggage = list(value)) !== undefined;
    case B3: return (headers.b3 = single(value)) !== undefined;
    case B3_TRACE_ID: return (headers.b3TraceId = single(value)) !== undefined;
    case B3_SPAN_ID: return (headers.b3SpanId = single(value)) !== undefined;
    case B3_PARENT_SPAN_ID: return (headers.b3ParentSpanId = single(value)) !== undefined;
    case B3_SAMPLED: return (headers.b3Sampled = single(value)) !== undefined;
    case B3_FLAGS: return (headers.b3Flags = single(value)) !== undefined;
    default: return false;
  }
}

/** Reads every trace header of `carrier`; null when it holds none (the common case). */
export function readTraceHeaders(carrier: object): TraceHeaders | null {
  const record = carrier as Record<string, unknown>;
  let headers: TraceHeaders | null = null;
  let found = false;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const field = fieldOf(key);
    if (field !== NONE && store((headers ??= new TraceHeaders()), field, key, record[key])) found = true;
  }
  return found ? headers : null;
}

/**
 * Reads every trace header of a Node `rawHeaders` list ([name, value, ...] as received), without
 * the `req.headers` object Node would build for it. Same result as `readTraceHeaders(req.headers)`:
 * a header sent several times is joined with `, ` as Node joins it there (so a repeated
 * single-valued header is as malformed here as there), `uberctx-` keys are lowercased.
 */
export function readRawTraceHeaders(raw: readonly string[]): TraceHeaders | null {
  // Lowercased name → value; a Map keeps it linear however many `uberctx-` headers a caller sends.
  let found: Map<string, string> | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (fieldOf(name) === NONE) continue;
    const lower = name.toLowerCase();
    const value = raw[i + 1]!;
    const seen = (found ??= new Map()).get(lower);
    found.set(lower, seen === undefined ? value : `${seen}, ${value}`);
  }
  if (found === null) return null;
  const headers = new TraceHeaders();
  for (const [name, value] of found) store(headers, fieldOf(name), name, value);
  return headers;
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
