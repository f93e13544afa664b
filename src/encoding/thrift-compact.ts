// Thrift compact protocol primitives. Each writes at `off` into a buffer the caller has already
// reserved room in, and returns the offset after what it wrote.

export const COMPACT_BOOL_TRUE = 1;
export const COMPACT_BOOL_FALSE = 2;
export const COMPACT_I32 = 5;
export const COMPACT_I64 = 6;
export const COMPACT_DOUBLE = 7;
export const COMPACT_BINARY = 8;
export const COMPACT_LIST = 9;
export const COMPACT_STRUCT = 12;

export const COMPACT_PROTOCOL_ID = 0x82;
export const COMPACT_VERSION = 1;

/** Field header for a field whose id is `delta` (1..15) above the previous field's. */
export function fieldHeader(delta: number, type: number): number {
  return (delta << 4) | type;
}

/** Unsigned 32-bit varint. */
function writeVarint32(buf: Buffer, off: number, value: number): number {
  let v = value >>> 0;
  while (v > 0x7f) {
    buf[off++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[off++] = v;
  return off;
}

export function writeZigzag32(buf: Buffer, off: number, value: number): number {
  return writeVarint32(buf, off, (value << 1) ^ (value >> 31));
}

/** Unsigned 64-bit varint from two words, unrolled for the 5-or-more-byte case. */
export function writeVarint64(buf: Buffer, off: number, hi: number, lo: number): number {
  if (hi === 0) return writeVarint32(buf, off, lo);
  buf[off++] = (lo & 0x7f) | 0x80;
  buf[off++] = ((lo >>> 7) & 0x7f) | 0x80;
  buf[off++] = ((lo >>> 14) & 0x7f) | 0x80;
  buf[off++] = ((lo >>> 21) & 0x7f) | 0x80;
  const middle = (lo >>> 28) | ((hi & 0x07) << 4);
  let rest = hi >>> 3;
  if (rest === 0) {
    buf[off++] = middle;
    return off;
  }
  buf[off++] = middle | 0x80;
  while (rest > 0x7f) {
    buf[off++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buf[off++] = rest;
  return off;
}

/** Zigzag-encoded i64 given as two signed int32 words, most significant first. */
export function writeZigzag64(buf: Buffer, off: number, hi: number, lo: number): number {
  const sign = hi >> 31;
  return writeVarint64(buf, off, (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0, ((lo << 1) ^ sign) >>> 0);
}

export function writeDouble(buf: Buffer, off: number, value: number): number {
  return buf.writeDoubleLE(value, off);
}

/**
 * Varint length, then UTF-8 bytes. Needs `5 + 3 * value.length` bytes of room. Short ASCII
 * strings (most keys and values) are copied in JS: cheaper than a native call.
 */
export function writeString(buf: Buffer, off: number, value: string): number {
  const n = value.length;
  if (n < 43) {
    // Even at 3 bytes per UTF-16 unit the length fits one varint byte.
    let p = off + 1;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) {
        const written = buf.write(value, off + 1, 'utf8');
        buf[off] = written;
        return off + 1 + written;
      }
      buf[p++] = c;
    }
    buf[off] = n;
    return p;
  }
  const length = Buffer.byteLength(value, 'utf8');
  off = writeVarint32(buf, off, length);
  return off + buf.write(value, off, length, 'utf8');
}

export function writeBinary(buf: Buffer, off: number, value: Uint8Array): number {
  off = writeVarint32(buf, off, value.length);
  buf.set(value, off);
  return off + value.length;
}

/** List header: element type and size. */
export function writeListHeader(buf: Buffer, off: number, elementType: number, size: number): number {
  if (size < 15) {
    buf[off++] = (size << 4) | elementType;
    return off;
  }
  buf[off++] = 0xf0 | elementType;
  return writeVarint32(buf, off, size);
}

export function listHeaderLength(size: number): number {
  return size < 15 ? 1 : size < 0x80 ? 2 : size < 0x4000 ? 3 : size < 0x200000 ? 4 : size < 0x10000000 ? 5 : 6;
}
