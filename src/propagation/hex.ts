// Header ids are parsed straight from char codes into int32 words: no substrings, no regexes,
// nothing allocated for input that turns out to be malformed.

/** Value of one hex digit, or -1. Uppercase digits count only when `allowUpper`. */
function hexDigit(code: number, allowUpper: boolean): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (allowUpper && code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * Parses the hex digits `text[start, end)` into `words` int32 words written to `out` from
 * `offset`, right-aligned (shorter input means leading zeros, as Jaeger sends). Returns false for
 * empty, too long or non-hex input; `out` is then left partly written.
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
  for (let i = 0; i < words; i++) out[offset + i] = 0;
  for (let k = start; k < end; k++) {
    const digit = hexDigit(text.charCodeAt(k), allowUpper);
    if (digit < 0) return false;
    const fromRight = end - 1 - k;
    out[offset + words - 1 - (fromRight >> 3)]! |= digit << ((fromRight & 7) * 4);
  }
  return true;
}

/** Value of the one or two hex digits `text[start, end)`, or -1. */
export function parseHexByte(text: string, start: number, end: number, allowUpper: boolean): number {
  const length = end - start;
  if (length < 1 || length > 2) return -1;
  let value = 0;
  for (let k = start; k < end; k++) {
    const digit = hexDigit(text.charCodeAt(k), allowUpper);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** 16 hex digits when the high 64 bits are zero (a 64-bit trace), else 32. */
export function traceIdHex(traceWords: readonly number[], full: string): string {
  return (traceWords[0]! | traceWords[1]!) === 0 ? full.slice(16) : full;
}
