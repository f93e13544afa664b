import { randomFillSync } from 'node:crypto';

// Ids are kept as signed int32 words (small integers in V8, no allocation); hex strings are made
// only when a header or a record needs them. Random words come from one pooled buffer so a span id
// costs two array reads instead of a crypto call.
const POOL_WORDS = 4096;
const pool = new Int32Array(POOL_WORDS);
let next = POOL_WORDS;

export function randomWord(): number {
  if (next === POOL_WORDS) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]!;
}

const HEX = '0123456789abcdef';
// Two digits per byte: a word is four concatenations, and the string V8 then flattens (when it is
// checked as a header value or written) has four parts instead of eight.
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => HEX[byte >> 4]! + HEX[byte & 15]!);

export function wordToHex(word: number): string {
  const u = word >>> 0;
  return BYTE_HEX[u >>> 24]! + BYTE_HEX[(u >>> 16) & 255]! + BYTE_HEX[(u >>> 8) & 255]! + BYTE_HEX[u & 255]!;
}
const HEX_RE = /^[0-9a-fA-F]+$/;

/**
 * Parses up to `words * 8` hex digits (shorter input is left-padded with zeros, as Jaeger allows)
 * into int32 words, most significant first. Returns null for non-hex, too long or empty input.
 */
export function parseHexWords(hex: string, words: number): number[] | null {
  const max = words * 8;
  if (hex.length === 0 || hex.length > max || !HEX_RE.test(hex)) return null;
  const padded = hex.length === max ? hex : '0'.repeat(max - hex.length) + hex;
  const out = new Array<number>(words);
  for (let i = 0; i < words; i++) out[i] = parseInt(padded.slice(i * 8, i * 8 + 8), 16) | 0;
  return out;
}
