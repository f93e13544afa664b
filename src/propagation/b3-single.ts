import { FLAG_DEBUG, FLAG_SAMPLED, SpanContext } from '../tracer/span-context.js';
import type { TraceHeaders } from './carrier.js';
import { headerValue, readHexWords } from './hex.js';
import type { Propagator } from './propagator.js';
import { readB3TraceId } from './b3-multi.js';

// Zipkin B3 in one header: `b3: {trace id}-{span id}[-{sampled}[-{parent span id}]]`, sampled
// being 0, 1 or d (debug). A lone `0`, `1` or `d` carries a sampling decision but no ids: there is
// no context to continue, so it reads as none.

const B3 = 'b3';
// 32 + 16 + 1 + 16 digits and three dashes.
const MAX_LENGTH = 68;

function flagsOf(text: string, start: number, end: number): number {
  if (end - start !== 1) return -1;
  switch (text.charCodeAt(start)) {
    case 48: return 0; // 0
    case 49: return FLAG_SAMPLED; // 1
    case 100: return FLAG_SAMPLED | FLAG_DEBUG; // d
    default: return -1;
  }
}

export function parseB3Single(text: string): SpanContext | null {
  if (text.length > MAX_LENGTH) return null;
  const traceEnd = text.indexOf('-');
  const spanEnd = traceEnd < 0 ? -1 : text.indexOf('-', traceEnd + 1);
  const sampledEnd = spanEnd < 0 ? -1 : text.indexOf('-', spanEnd + 1);
  if (traceEnd < 0 || (sampledEnd >= 0 && text.indexOf('-', sampledEnd + 1) >= 0)) return null;
  const traceWords = [0, 0, 0, 0];
  const ids = [0, 0, 0, 0];
  if (!readB3TraceId(text, 0, traceEnd, traceWords)) return null;
  const idEnd = spanEnd < 0 ? text.length : spanEnd;
  if (idEnd - traceEnd - 1 !== 16 || !readHexWords(text, traceEnd + 1, idEnd, ids, 0, 2, true) || (ids[0]! | ids[1]!) === 0) return null;
  let flags = 0;
  if (spanEnd >= 0) {
    flags = flagsOf(text, spanEnd + 1, sampledEnd < 0 ? text.length : sampledEnd);
    if (flags < 0) return null;
  }
  // As with X-B3-ParentSpanId, a malformed parent id is dropped: it is only the caller's parent.
  if (sampledEnd < 0 || text.length - sampledEnd - 1 !== 16 || !readHexWords(text, sampledEnd + 1, text.length, ids, 2, 2, true)) {
    ids[2] = 0;
    ids[3] = 0;
  }
  return new SpanContext(traceWords, ids[0]!, ids[1]!, ids[2]!, ids[3]!, flags, null);
}

function inject(context: SpanContext, writes: string[]): void {
  const value = headerValue.start().traceId(context.traceWords, true).ascii('-')
    .word(context.spanIdHi).word(context.spanIdLo).ascii(context.isDebug() ? '-d' : context.isSampled() ? '-1' : '-0');
  if (context.hasParent) value.ascii('-').word(context.parentIdHi).word(context.parentIdLo);
  writes.push(B3, value.text());
}

export const b3SinglePropagator: Propagator = {
  fields: [B3],
  extractContext: (headers: TraceHeaders) => (headers.b3 === undefined ? null : parseB3Single(headers.b3)),
  inject,
};
