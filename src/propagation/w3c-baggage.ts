import type { SpanContext } from '../tracer/span-context.js';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_ITEMS, TOKEN, percentDecode, percentEncode } from './baggage.js';
import type { BaggageBuilder } from './baggage.js';
import type { TraceHeaders } from './carrier.js';
import type { Propagator } from './propagator.js';

// W3C Baggage: `baggage: key1=value1;property,key2=value2`. Values are percent-encoded UTF-8;
// properties are accepted and ignored.

const BAGGAGE = 'baggage';

function parseMember(text: string, start: number, end: number, baggage: BaggageBuilder, fallback: boolean): void {
  let stop = text.indexOf(';', start);
  if (stop < 0 || stop > end) stop = end;
  const equals = text.indexOf('=', start);
  if (equals < 0 || equals >= stop) return;
  const rawKey = text.slice(start, equals).trim();
  if (!TOKEN.test(rawKey)) return;
  const key = percentDecode(rawKey);
  const value = percentDecode(text.slice(equals + 1, stop).trim());
  if (key === null || key.length === 0 || value === null) return;
  if (fallback) baggage.addFallback(key, value);
  else baggage.add(key, value);
}

/**
 * Adds the members of a comma-separated `key=value` list to `baggage`. Only the first 8192 bytes
 * count (a member cut by that limit is dropped whole), so a huge header costs no more than that.
 */
export function parseBaggageList(text: string, baggage: BaggageBuilder, fallback: boolean): void {
  const bounded = text.length > MAX_BAGGAGE_BYTES ? text.slice(0, MAX_BAGGAGE_BYTES + 1) : text;
  let start = 0;
  while (start < bounded.length && !baggage.isFull) {
    let end = bounded.indexOf(',', start);
    if (end < 0) end = bounded.length;
    if (end > MAX_BAGGAGE_BYTES) return;
    parseMember(bounded, start, end, baggage, fallback);
    start = end + 1;
  }
}

/** A key that is a token goes as it is; others are percent-encoded (and read back decoded). */
function encodeKey(key: string): string | null {
  if (TOKEN.test(key) && key.indexOf('%') < 0) return key;
  const encoded = percentEncode(key);
  return encoded === null ? null : encoded.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

function inject(context: SpanContext, writes: string[]): void {
  const baggage = context._baggage;
  if (baggage === null) return;
  let header = '';
  let count = 0;
  for (const key of Object.keys(baggage)) {
    const encodedKey = encodeKey(key);
    const value = percentEncode(baggage[key]!);
    if (encodedKey === null || value === null) continue;
    const member = `${encodedKey}=${value}`;
    if (header.length + 1 + member.length > MAX_BAGGAGE_BYTES) continue;
    header = header.length === 0 ? member : `${header},${member}`;
    if (++count === MAX_BAGGAGE_ITEMS) break;
  }
  if (header.length > 0) writes.push(BAGGAGE, header);
}

export const w3cBaggagePropagator: Propagator = {
  fields: [],
  extractBaggage: (headers: TraceHeaders, baggage: BaggageBuilder) => {
    if (headers.baggage !== undefined) parseBaggageList(headers.baggage, baggage, false);
  },
  inject,
};
