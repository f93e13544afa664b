import { FLAG_DEBUG, FLAG_SAMPLED, SpanContext } from '../tracer/span-context.js';
import type { TraceHeaders } from './carrier.js';
import { headerValue, readHexWords } from './hex.js';
import type { Propagator } from './propagator.js';

// Zipkin B3, one header per field. An absent X-B3-Sampled (a deferred decision) reads as not
// sampled; X-B3-Flags: 1 is debug, which implies sampled and replaces X-B3-Sampled on the wire.

const TRACE_ID = 'x-b3-traceid';
const SPAN_ID = 'x-b3-spanid';
const PARENT_SPAN_ID = 'x-b3-parentspanid';
const SAMPLED = 'x-b3-sampled';
const FLAGS = 'x-b3-flags';

/** B3 trace id (16 or 32 hex digits) into `traceWords`; false when malformed or zero. */
export function readB3TraceId(text: string, start: number, end: number, traceWords: number[]): boolean {
  const length = end - start;
  return (length === 16 || length === 32) && readHexWords(text, start, end, traceWords, 0, 4, true) &&
    (traceWords[0]! | traceWords[1]! | traceWords[2]! | traceWords[3]!) !== 0;
}

/** Our flags for an X-B3-Sampled value (absent: 0), or -1 when it is no sampling value. */
function sampledFlags(value: string | undefined): number {
  if (value === undefined) return 0;
  if (value === '1' || value.toLowerCase() === 'true') return FLAG_SAMPLED;
  if (value === '0' || value.toLowerCase() === 'false') return 0;
  return -1;
}

function extractContext(headers: TraceHeaders): SpanContext | null {
  const traceId = headers.b3TraceId;
  const spanId = headers.b3SpanId;
  if (traceId === undefined || spanId === undefined) return null;
  const traceWords = [0, 0, 0, 0];
  const ids = [0, 0, 0, 0];
  if (!readB3TraceId(traceId, 0, traceId.length, traceWords)) return null;
  if (spanId.length !== 16 || !readHexWords(spanId, 0, 16, ids, 0, 2, true) || (ids[0]! | ids[1]!) === 0) return null;
  let flags = sampledFlags(headers.b3Sampled);
  if (flags < 0) return null;
  if (headers.b3Flags === '1') flags = FLAG_SAMPLED | FLAG_DEBUG;
  const parent = headers.b3ParentSpanId;
  // A malformed parent id is dropped: it only describes the caller's own parent.
  if (parent === undefined || parent.length !== 16 || !readHexWords(parent, 0, 16, ids, 2, 2, true)) {
    ids[2] = 0;
    ids[3] = 0;
  }
  return new SpanContext(traceWords, ids[0]!, ids[1]!, ids[2]!, ids[3]!, flags, null);
}

function inject(context: SpanContext, writes: string[]): void {
  writes.push(TRACE_ID, headerValue.start().traceId(context.traceWords, true).text());
  writes.push(SPAN_ID, headerValue.start().word(context.spanIdHi).word(context.spanIdLo).text());
  if (context.hasParent) writes.push(PARENT_SPAN_ID, headerValue.start().word(context.parentIdHi).word(context.parentIdLo).text());
  if (context.isDebug()) writes.push(FLAGS, '1');
  else writes.push(SAMPLED, context.isSampled() ? '1' : '0');
}

export const b3MultiPropagator: Propagator = {
  fields: [TRACE_ID, SPAN_ID, PARENT_SPAN_ID, SAMPLED, FLAGS],
  extractContext,
  inject,
};
