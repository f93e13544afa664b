// Thrift binary protocol primitives (big-endian). Each writes at `off` into a buffer the caller
// has already reserved room in, and returns the offset after what it wrote.

export const BINARY_BOOL = 2;
export const BINARY_DOUBLE = 4;
export const BINARY_I32 = 8;
export const BINARY_I64 = 10;
export const BINARY_STRING = 11;
export const BINARY_STRUCT = 12;
export const BINARY_LIST = 15;

/** Strict message header: version 1 with the message type in the low byte. */
export const BINARY_VERSION_1 = 0x80010000;

export function writeI32(buf: Buffer, off: number, value: number): number {
  buf[off] = value >>> 24;
  buf[off + 1] = value >>> 16;
  buf[off + 2] = value >>> 8;
  buf[off + 3] = value;
  return off + 4;
}

/** i64 given as two signed int32 words, most significant first. */
export function writeI64(buf: Buffer, off: number, hi: number, lo: number): number {
  buf[off] = hi >>> 24;
  buf[off + 1] = hi >>> 16;
  buf[off + 2] = hi >>> 8;
  buf[off + 3] = hi;
  buf[off + 4] = lo >>> 24;
  buf[off + 5] = lo >>> 16;
  buf[off + 6] = lo >>> 8;
  buf[off + 7] = lo;
  return off + 8;
}

/** Field type byte and 16-bit field id. */
export function writeFieldHeader(buf: Buffer, off: number, type: number, id: number): number {
  buf[off] = type;
  buf[off + 1] = id >>> 8;
  buf[off + 2] = id;
  return off + 3;
}

export function writeDouble(buf: Buffer, off: number, value: number): number {
  return buf.writeDoubleBE(value, off);
}

/** i32 length, then UTF-8 bytes. Needs `4 + 3 * value.length` bytes of room. */
export function writeString(buf: Buffer, off: number, value: string): number {
  const n = value.length;
  if (n < 64) {
    let p = off + 4;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) return writeUtf8(buf, off, value);
      buf[p++] = c;
    }
    writeI32(buf, off, n);
    return p;
  }
  return writeUtf8(buf, off, value);
}

function writeUtf8(buf: Buffer, off: number, value: string): number {
  const written = buf.write(value, off + 4, 'utf8');
  writeI32(buf, off, written);
  return off + 4 + written;
}

export function writeBinary(buf: Buffer, off: number, value: Uint8Array): number {
  off = writeI32(buf, off, value.length);
  buf.set(value, off);
  return off + value.length;
}

export function writeListHeader(buf: Buffer, off: number, elementType: number, size: number): number {
  buf[off] = elementType;
  return writeI32(buf, off + 1, size);
}
