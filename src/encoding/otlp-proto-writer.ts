// A minimal protobuf writer: exactly what the OTLP trace messages need, no runtime dependency.
// Nested messages are written in place after a reserved length prefix; when the guess for the
// prefix's size was wrong the body is moved once (rare: callers reserve by expected size).

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;
const TWO_POW_32 = 4294967296;

function int32BE(buf: Buffer, pos: number, word: number): number {
  buf[pos] = word >>> 24;
  buf[pos + 1] = word >>> 16;
  buf[pos + 2] = word >>> 8;
  buf[pos + 3] = word;
  return pos + 4;
}

function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** A copy of what was written: the writer's buffer is reused by the next encoding. */
  finish(): Buffer {
    const out = Buffer.allocUnsafeSlow(this.pos); // no zero-filling: every byte is copied over
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** Drops an oversized buffer after a huge batch so one burst does not pin memory. */
  shrink(maxSize: number, initialSize: number): void {
    if (this.buf.length > maxSize) this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Unsigned 32-bit varint; the caller has ensured 5 bytes. */
  varint(value: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let v = value >>> 0;
    while (v > 0x7f) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  uint32Field(field: number, value: number): void {
    this.ensure(10);
    this.varint((field << 3) | WIRE_VARINT);
    this.varint(value);
  }

  boolField(field: number, value: boolean): void {
    this.ensure(6);
    this.varint((field << 3) | WIRE_VARINT);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  /** A signed integer (safe range) as a two's-complement 64-bit varint. */
  int64Field(field: number, value: number): void {
    this.ensure(15);
    this.varint((field << 3) | WIRE_VARINT);
    let lo: number;
    let hi: number;
    if (value >= 0) {
      lo = value % TWO_POW_32;
      hi = Math.floor(value / TWO_POW_32);
    } else {
      const magnitude = -value;
      lo = (~(magnitude % TWO_POW_32) + 1) >>> 0;
      hi = (~Math.floor(magnitude / TWO_POW_32) + (lo === 0 ? 1 : 0)) >>> 0;
    }
    this.varint64(lo, hi);
  }

  bigintField(field: number, value: bigint): void {
    const unsigned = BigInt.asUintN(64, value);
    this.ensure(15);
    this.varint((field << 3) | WIRE_VARINT);
    this.varint64(Number(unsigned & 0xffffffffn), Number(unsigned >> 32n));
  }

  private varint64(lo: number, hi: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let low = lo >>> 0;
    let high = hi >>> 0;
    while (high > 0 || low > 0x7f) {
      buf[pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[pos++] = low;
    this.pos = pos;
  }

  doubleField(field: number, value: number): void {
    this.ensure(13);
    this.varint((field << 3) | WIRE_FIXED64);
    this.pos = this.buf.writeDoubleLE(value, this.pos);
  }

  fixed32Field(field: number, value: number): void {
    this.ensure(9);
    this.varint((field << 3) | WIRE_FIXED32);
    this.uint32LE(value >>> 0);
  }

  private uint32LE(value: number): void {
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = value;
    buf[pos + 1] = value >>> 8;
    buf[pos + 2] = value >>> 16;
    buf[pos + 3] = value >>> 24;
    this.pos = pos + 4;
  }

  /** `secs * 1e9 + nanos` as a fixed64, computed exactly in 32-bit halves (it exceeds 2^53). */
  nanosField(field: number, secs: number, nanos: number): void {
    const secsHigh = Math.floor(secs / 65536);
    const high16 = secsHigh * 1e9; // times 2^16
    const rest = (secs - secsHigh * 65536) * 1e9 + nanos;
    let lo = (high16 % 65536) * 65536 + (rest % TWO_POW_32);
    let hi = Math.floor(high16 / 65536) + Math.floor(rest / TWO_POW_32);
    if (lo >= TWO_POW_32) {
      lo -= TWO_POW_32;
      hi += 1;
    }
    this.ensure(13);
    this.varint((field << 3) | WIRE_FIXED64);
    this.uint32LE(lo);
    this.uint32LE(hi);
  }

  stringField(field: number, value: string): void {
    const length = value.length;
    this.ensure(10 + length * 3);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = (field << 3) | WIRE_LEN; // every field we write as a string is below 16
    if (length < 0x80) {
      // Short ASCII strings (most keys and values) are copied char by char: cheaper than a call
      // into the UTF-8 encoder. The first non-ASCII char sends the string to the encoder instead.
      let i = 0;
      for (; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code > 0x7f) break;
        buf[pos + 1 + i] = code;
      }
      if (i === length) {
        buf[pos] = length;
        this.pos = pos + 1 + length;
        return;
      }
    }
    this.pos = pos;
    this.varint(Buffer.byteLength(value, 'utf8'));
    this.pos += buf.write(value, this.pos, 'utf8');
  }

  bytesField(field: number, value: Uint8Array): void {
    this.ensure(10 + value.length);
    this.varint((field << 3) | WIRE_LEN);
    this.varint(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** `count` int32 words, big-endian, as a bytes field (trace ids: 4 words, span ids: 2). */
  wordsField(field: number, w0: number, w1: number, w2: number, w3: number, count: 2 | 4): void {
    this.ensure(2 + count * 4);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = (field << 3) | WIRE_LEN;
    buf[pos++] = count * 4;
    pos = int32BE(buf, pos, w0);
    pos = int32BE(buf, pos, w1);
    if (count === 4) {
      pos = int32BE(buf, pos, w2);
      pos = int32BE(buf, pos, w3);
    }
    this.pos = pos;
  }

  /** Raw bytes prepared earlier (a pre-encoded message). */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Opens a nested message: writes its tag and reserves `reserve` bytes for its length. */
  begin(field: number, reserve: number): number {
    this.ensure(5 + reserve);
    this.varint((field << 3) | WIRE_LEN);
    this.pos += reserve;
    return this.pos;
  }

  /** Closes the message opened by `begin` (given its returned position and reserve). */
  end(bodyStart: number, reserve: number): void {
    const length = this.pos - bodyStart;
    const needed = varintSize(length);
    let prefixAt = bodyStart - reserve;
    if (needed !== reserve) {
      this.ensure(needed - reserve);
      this.buf.copyWithin(prefixAt + needed, bodyStart, this.pos);
      this.pos += needed - reserve;
    }
    const buf = this.buf;
    let v = length;
    while (v > 0x7f) {
      buf[prefixAt++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[prefixAt] = v;
  }
}
