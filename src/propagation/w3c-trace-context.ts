import { FLAG_SAMPLED, SpanContext } from '../tracer/span-context.js';
import type { TraceHeaders } from './carrier.js';
import { headerValue, parseHexByte, readHexWords } from './hex.js';
import type { Propagator } from './propagator.js';

// W3C Trace Context: `traceparent: {version}-{trace id}-{parent id}-{flags}`, lowercase hex only,
// and `tracestate`, which is opaque to us and carried through unchanged.

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
const VERSION_00_LENGTH = 55;
// Far beyond any real header, yet a bound on what one incoming value can make us keep.
const MAX_TRACESTATE = 8192;
const MAX_TRACEPARENT = 4096;
// Printable ASCII and tab: a tracestate with anything else could not be sent on as a header.
const HEADER_SAFE = /^[\t\x20-\x7e]*$/;
const DASH = 45;

function isOws(code: number): boolean {
  return code === 32 || code === 9;
}

/** Parses a `traceparent` value; null when malformed, version ff, or an id is all zeros. */
export function parseTraceparent(value: string): SpanContext | null {
  if (value.length < VERSION_00_LENGTH || value.length > MAX_TRACEPARENT) return null;
  const text = isOws(value.charCodeAt(0)) || isOws(value.charCodeAt(value.length - 1)) ? value.trim() : value;
  const version = parseHexByte(text, 0, 2, false);
  if (version < 0 || version === 0xff) return null;
  // Version 00 is exactly 55 characters; a later version may append fields after a dash.
  if (text.length < VERSION_00_LENGTH || (version === 0 && text.length !== VERSION_00_LENGTH)) return null;
  if (text.length > VERSION_00_LENGTH && text.charCodeAt(VERSION_00_LENGTH) !== DASH) return null;
  if (text.charCodeAt(2) !== DASH || text.charCodeAt(35) !== DASH || text.charCodeAt(52) !== DASH) return null;
  const traceWords = [0, 0, 0, 0];
  const spanId = [0, 0];
  if (!readHexWords(text, 3, 35, traceWords, 0, 4, false) || !readHexWords(text, 36, 52, spanId, 0, 2, false)) return null;
  const flags = parseHexByte(text, 53, 55, false);
  if (flags < 0 || (traceWords[0]! | traceWords[1]! | traceWords[2]! | traceWords[3]!) === 0 || (spanId[0]! | spanId[1]!) === 0) {
    return null;
  }
  return new SpanContext(traceWords, spanId[0]!, spanId[1]!, 0, 0, flags & FLAG_SAMPLED, null);
}

/** The `tracestate` to carry on, or null when absent, too large or not sendable as a header. */
export function readTraceState(headers: TraceHeaders): string | null {
  const value = headers.tracestate;
  if (value === undefined || value.length === 0 || value.length > MAX_TRACESTATE || !HEADER_SAFE.test(value)) return null;
  return value;
}

function sameTrace(a: SpanContext, b: SpanContext): boolean {
  const x = a.traceWords;
  const y = b.traceWords;
  return x[0] === y[0] && x[1] === y[1] && x[2] === y[2] && x[3] === y[3];
}

/**
 * The `tracestate` for a context another format extracted: only when `traceparent` is valid and
 * names the same trace (a tracestate belongs to its traceparent).
 */
export function traceStateFor(context: SpanContext, headers: TraceHeaders): string | null {
  if (headers.traceparent === undefined || headers.tracestate === undefined) return null;
  const parent = parseTraceparent(headers.traceparent);
  return parent !== null && sameTrace(parent, context) ? readTraceState(headers) : null;
}

function extractContext(headers: TraceHeaders): SpanContext | null {
  if (headers.traceparent === undefined) return null;
  const context = parseTraceparent(headers.traceparent);
  if (context !== null) context.traceState = readTraceState(headers);
  return context;
}

function inject(context: SpanContext, writes: string[]): void {
  const value = headerValue.start().ascii('00-').traceId(context.traceWords, false).ascii('-')
    .word(context.spanIdHi).word(context.spanIdLo).ascii(context.isSampled() ? '-01' : '-00');
  writes.push(TRACEPARENT, value.text());
  if (context.traceState !== null) writes.push(TRACESTATE, context.traceState);
}

export const traceContextPropagator: Propagator = {
  fields: [TRACEPARENT, TRACESTATE],
  extractContext,
  inject,
};
