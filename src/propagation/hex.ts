// Header ids are parsed straight from char codes into int32 words: no substrings, no regexes.

// Digit values by char code, -1 for non-digits: a table lookup beats a chain of range tests.
const LOWER_DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) LOWER_DIGITS[48 + i] = i;
for (let i = 0; i < 6; i++) LOWER_DIGITS[97 + i] = 10 + i;
const ANY_CASE_DIGITS = LOWER_DIGITS.slice();
for (let i = 0; i < 6; i++) ANY_CASE_DIGITS[65 + i] = 10 + i;

function digitTable(allowUpper: boolean): Int8Array {
  return allowUpper ? ANY_CASE_DIGITS : LOWER_DIGITS;
}

/**
 * Parses the hex digits `text[start, end)` into `words` int32 words written to `out` from
 * `offset`, right-aligned (shorter input means leading zeros, as Jaeger sends). Returns false for
 * empty, too long or non-hex input (`out` may then hold part of it).
 */
export function readHexWords(
  text: string,
  start: number,
  end: number,
  out: number[],
  offset: number,
  words: number,
  allowUpper: boolean,
): boolean {
  const length = end - start;
  if (length <= 0 || length > words * 8) return false;
  const table = digitTable(allowUpper);
  let k = start;
  let invalid = 0;
  // Digits left of the input's first one are implicit zeros; each word is built in a local.
  let missing = words * 8 - length;
  for (let w = 0; w < words; w++) {
    let word = 0;
    let digits = 8;
    if (missing > 0) {
      const skip = missing > 8 ? 8 : missing;
      digits -= skip;
      missing -= skip;
    }
    for (; digits > 0; digits--) {
      const code = text.charCodeAt(k++);
      const digit = code < 128 ? table[code]! : -1;
      invalid |= digit;
      word = (word << 4) | (digit & 15);
    }
    out[offset + w] = word;
  }
  return invalid >= 0;
}

/** Value of the one or two hex digits `text[start, end)`, or -1. */
export function parseHexByte(text: string, start: number, end: number, allowUpper: boolean): number {
  const length = end - start;
  if (length < 1 || length > 2) return -1;
  const table = digitTable(allowUpper);
  let value = 0;
  for (let k = start; k < end; k++) {
    const code = text.charCodeAt(k);
    const digit = code < 128 ? table[code]! : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// Outgoing header values are written as bytes and read back as one flat string. A value built by
// concatenating hex pieces is a tree of small strings that Node's header check (a RegExp) must
// flatten first: for the two default trace headers that cost more than the formatting itself
// (about 340 ns against 230 ns for both, checked as `setHeader` does).
const DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const scratch = Buffer.allocUnsafe(128);

/** Writes one header value: `start()`, then `ascii`/`word`/`traceId`/`shortByte`, then `text()`. Nothing in it yields, so one is shared. */
class HeaderValueWriter {
  private off = 0;

  start(): this {
    this.off = 0;
    return this;
  }

  ascii(text: string): this {
    let off = this.off;
    for (let i = 0; i < text.length; i++) scratch[off++] = text.charCodeAt(i);
    this.off = off;
    return this;
  }

  /** `word` as 8 lowercase hex digits. */
  word(word: number): this {
    let off = this.off;
    for (let shift = 28; shift >= 0; shift -= 4) scratch[off++] = DIGITS[(word >>> shift) & 15]!;
    this.off = off;
    return this;
  }

  /** 32 hex digits, or 16 when `trim64` and the high 64 bits are zero (a 64-bit trace). */
  traceId(words: readonly number[], trim64: boolean): this {
    if (!trim64 || (words[0]! | words[1]!) !== 0) this.word(words[0]!).word(words[1]!);
    return this.word(words[2]!).word(words[3]!);
  }

  /** `byte` in hex without a leading zero, as `byte.toString(16)`. */
  shortByte(byte: number): this {
    if (byte >= 16) scratch[this.off++] = DIGITS[byte >> 4]!;
    scratch[this.off++] = DIGITS[byte & 15]!;
    return this;
  }

  text(): string {
    return scratch.toString('latin1', 0, this.off);
  }
}

export const headerValue = new HeaderValueWriter();
