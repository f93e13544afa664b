import type { FinishedSpan, FinishedSpanReference } from '../tracer/finished-span.js';
import { DEFAULT_SPAN_LIMITS } from '../tracer/types.js';
import { boundTagValue, renderBounded } from '../tracer/tag-value.js';
import { LIBRARY_NAME, VERSION } from '../version.js';

/** The process a batch of spans comes from: becomes the OTLP Resource. */
export interface OtlpProcess {
  serviceName: string;
  processTags: Readonly<Record<string, string | number | boolean>>;
}

export const SCOPE_NAME = LIBRARY_NAME;
export const SCOPE_VERSION = VERSION;

/** OTLP `Span.SpanKind`. */
export const SPAN_KIND_INTERNAL = 1;

/** OTLP `Status.StatusCode.STATUS_CODE_ERROR`. */
export const STATUS_ERROR = 2;

/** What a span tag becomes in OTLP (`tagRole`): an attribute, the ERROR status, or a SpanKind > 0. */
export const TAG_ATTRIBUTE = 0;
export const TAG_ERROR = -1;

function spanKindOf(value: unknown): number {
  switch (value) {
    case 'server': return 2;
    case 'client': return 3;
    case 'producer': return 4;
    case 'consumer': return 5;
    default: return TAG_ATTRIBUTE; // kept as a `span.kind` attribute
  }
}

/** `span.kind` becomes the span's kind and `error=true` its status; every other tag an attribute. */
export function tagRole(key: string, value: unknown): number {
  if (key === 'span.kind') return spanKindOf(value);
  return key === 'error' && (value === true || value === 'true') ? TAG_ERROR : TAG_ATTRIBUTE;
}

/** How an attribute value goes on the wire (`valueKind`). */
export const VALUE_SKIP = 0;
export const VALUE_STRING = 1;
export const VALUE_BOOL = 2;
export const VALUE_INT = 3;
export const VALUE_DOUBLE = 4;
export const VALUE_BYTES = 5;
export const VALUE_ARRAY = 6;
/** Anything else, sent as its string form (see `stringifyValue`). */
const VALUE_OTHER = 7;

const TWO_POW_63 = 9223372036854775808;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function valueKind(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return VALUE_STRING;
    case 'boolean':
      return VALUE_BOOL;
    case 'number':
      // Every integral double in int64's range is exact as an int64 (2^60 too, not only safe ones).
      return Number.isInteger(value) && value >= -TWO_POW_63 && value < TWO_POW_63 ? VALUE_INT : VALUE_DOUBLE;
    case 'bigint':
      return value >= INT64_MIN && value <= INT64_MAX ? VALUE_INT : VALUE_OTHER;
    case 'undefined':
      return VALUE_SKIP;
    case 'object':
      if (value === null) return VALUE_SKIP;
      if (value instanceof Uint8Array) return VALUE_BYTES;
      return Array.isArray(value) ? VALUE_ARRAY : VALUE_OTHER;
    default:
      return VALUE_OTHER;
  }
}

/** Objects, errors, symbols and functions as one bounded string; never throws. */
export function stringifyValue(value: unknown): string {
  const max = DEFAULT_SPAN_LIMITS.maxTagValueLength;
  if (typeof value === 'object' && value !== null) return renderBounded(value, max);
  const text = boundTagValue(value, max);
  return typeof text === 'string' ? text : String(text);
}

/** Resource attributes: `service.name`, the process tags, then the SDK's own identity. */
export function resourceAttributes(process: OtlpProcess): [string, string | number | boolean][] {
  const out: [string, string | number | boolean][] = [['service.name', process.serviceName]];
  for (const key of Object.keys(process.processTags)) {
    if (key !== 'service.name') out.push([key, process.processTags[key]!]);
  }
  out.push(['telemetry.sdk.name', LIBRARY_NAME], ['telemetry.sdk.language', 'nodejs'], ['telemetry.sdk.version', VERSION]);
  return out;
}

/** The name of the event a span log becomes: its `event` field, else `log`. */
export function eventName(fields: Readonly<Record<string, unknown>>): string {
  const event = fields['event'];
  return typeof event === 'string' ? event : 'log';
}

/** True for the log field that became the event's name: it is not repeated as an attribute. */
export function namesEvent(key: string, value: unknown): boolean {
  return key === 'event' && typeof value === 'string';
}

/** The message of the span's last `error` log, or '' (becomes the OTLP status message). */
export function errorMessage(span: FinishedSpan): string {
  const logs = span.logs;
  if (logs === null) return '';
  for (let i = logs.length - 1; i >= 0; i--) {
    const fields = logs[i]!.fields;
    if (fields['event'] === 'error' && typeof fields['message'] === 'string') return fields['message'];
  }
  return '';
}

function sameTrace(a: readonly number[], b: readonly number[]): boolean {
  return a === b || (a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3]);
}

/** References other than the primary parent (which is `parentSpanId`): they become links. */
export function linkedReferences(span: FinishedSpan): FinishedSpanReference[] {
  const refs = span.references;
  if (refs === null || refs.length === 0) return [];
  const ctx = span.context();
  return refs.filter((ref) => {
    const other = ref.context;
    return !(other.spanIdHi === ctx.parentIdHi && other.spanIdLo === ctx.parentIdLo && sameTrace(other.traceWords, ctx.traceWords));
  });
}

/**
 * A millisecond timestamp split into whole seconds and nanoseconds: nanoseconds since the epoch
 * exceed 2^53, so they are never held in one number.
 */
export function splitMs(ms: number, out: Float64Array): void {
  const safe = ms > 0 ? ms : 0;
  let secs = Math.floor(safe / 1000);
  let nanos = Math.round((safe - secs * 1000) * 1e6);
  if (nanos >= 1e9) {
    secs += 1;
    nanos -= 1e9;
  }
  out[0] = secs;
  out[1] = nanos;
}

/** Adds `ns` nanoseconds to a split timestamp in place. */
export function addNanos(split: Float64Array, ns: number): void {
  const nanos = split[1]! + ns;
  const carry = Math.floor(nanos / 1e9);
  split[0] = split[0]! + carry;
  split[1] = nanos - carry * 1e9;
}

/** Duration in whole nanoseconds. */
export function durationNanos(durationMs: number): number {
  return durationMs > 0 ? Math.round(durationMs * 1e6) : 0;
}
