import { FLAG_DEBUG, FLAG_SAMPLED, SpanContext } from '../tracer/span-context.js';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS, TOKEN, percentDecode, percentEncode } from './baggage.js';
import type { BaggageBuilder } from './baggage.js';
import type { TraceHeaders } from './carrier.js';
import { headerValue, parseHexByte, readHexWords } from './hex.js';
import type { Propagator } from './propagator.js';
import { parseBaggageList } from './w3c-baggage.js';

// Jaeger's native format: `uber-trace-id: {trace}:{span}:{parent}:{flags}`, baggage in
// `uberctx-{key}` headers, plus `jaeger-debug-id` and `jaeger-baggage` (`k1=v1, k2=v2`) that let a
// curl user force a debug trace. As in jaeger-client, baggage values are URL-encoded in
// FORMAT_HTTP_HEADERS and plain in FORMAT_TEXT_MAP (any string may travel there).

const UBER_TRACE_ID = 'uber-trace-id';
const BAGGAGE_PREFIX = 'uberctx-';
// 32 + 16 + 16 + 2 hex digits and three colons, each possibly URL-encoded as `%3A`.
const MAX_TRACE_ID_HEADER = 32 + 16 + 16 + 2 + 3 * 3;
const MAX_DEBUG_ID = 256;

/** Debug implies sampled: a debug trace is recorded whatever the sampler says. */
function ourFlags(jaegerFlags: number): number {
  return (jaegerFlags & FLAG_DEBUG) !== 0 ? FLAG_SAMPLED | FLAG_DEBUG : jaegerFlags & FLAG_SAMPLED;
}

/** Parses an `uber-trace-id` value; null when malformed or when the trace or span id is zero. */
export function parseUberTraceId(value: string): SpanContext | null {
  if (value.length > MAX_TRACE_ID_HEADER) return null;
  const text = percentDecode(value);
  if (text === null) return null;
  const end1 = text.indexOf(':');
  const end2 = text.indexOf(':', end1 + 1);
  const end3 = text.indexOf(':', end2 + 1);
  if (end1 < 0 || end2 < 0 || end3 < 0 || text.indexOf(':', end3 + 1) >= 0) return null;
  const traceWords = [0, 0, 0, 0];
  const ids = [0, 0, 0, 0];
  if (!readHexWords(text, 0, end1, traceWords, 0, 4, true)) return null;
  if (!readHexWords(text, end1 + 1, end2, ids, 0, 2, true)) return null;
  if (!readHexWords(text, end2 + 1, end3, ids, 2, 2, true)) return null;
  const flags = parseHexByte(text, end3 + 1, text.length, true);
  if (flags < 0 || (traceWords[0]! | traceWords[1]! | traceWords[2]! | traceWords[3]!) === 0 || (ids[0]! | ids[1]!) === 0) {
    return null;
  }
  return new SpanContext(traceWords, ids[0]!, ids[1]!, ids[2]!, ids[3]!, ourFlags(flags), null);
}

/** The `jaeger-debug-id` of `headers`, or null. */
export function readDebugId(headers: TraceHeaders): string | null {
  const value = headers.jaegerDebugId;
  if (value === undefined || value.length === 0 || value.length > MAX_DEBUG_ID) return null;
  return percentDecode(value) ?? value;
}

function extractBaggage(headers: TraceHeaders, baggage: BaggageBuilder, http: boolean): void {
  const pairs = headers.uberctx;
  if (pairs !== null) {
    for (let i = 0; i < pairs.length && !baggage.isFull; i += 2) {
      const value = pairs[i + 1]!;
      if (value.length > MAX_BAGGAGE_BYTES) continue;
      // As jaeger-client does, a value whose escapes are malformed is taken as it is.
      baggage.addFallback(pairs[i]!, http ? percentDecode(value) ?? value : value);
    }
  }
  if (headers.jaegerBaggage !== undefined) parseBaggageList(headers.jaegerBaggage, baggage, true);
}

function inject(context: SpanContext, writes: string[], http: boolean): void {
  // {trace}:{span}:{parent}:{flags}, the parent 0 for a root span, as jaeger-client writes it.
  const value = headerValue.start().traceId(context.traceWords, true).ascii(':')
    .word(context.spanIdHi).word(context.spanIdLo).ascii(':');
  if (context.hasParent) value.word(context.parentIdHi).word(context.parentIdLo);
  else value.ascii('0');
  writes.push(UBER_TRACE_ID, value.ascii(':').shortByte(context.flags & 0xff).text());
  const baggage = context._baggage;
  if (baggage === null) return;
  let count = 0;
  let bytes = 0;
  for (const key of Object.keys(baggage)) {
    // A key that is no HTTP token would make an invalid header name (Node throws on it).
    if (!TOKEN.test(key)) continue;
    const value = http ? percentEncode(baggage[key]!) : baggage[key]!;
    if (value === null || bytes + key.length + value.length > MAX_BAGGAGE_BYTES) continue;
    bytes += key.length + value.length;
    writes.push(BAGGAGE_PREFIX + key, value);
    if (++count === MAX_BAGGAGE_ITEMS) return;
  }
}

export const jaegerPropagator: Propagator = {
  fields: [UBER_TRACE_ID],
  extractContext: (headers) => (headers.uberTraceId === undefined ? null : parseUberTraceId(headers.uberTraceId)),
  extractBaggage,
  inject,
};
