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
