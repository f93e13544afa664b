// Bounded readers for the two Thrift protocols Jaeger uses (compact on UDP 6831, binary on UDP
// 6832 and the collector's HTTP endpoint). Both report types in the binary protocol's numbering,
// so one struct walker (jaeger-thrift.ts) reads either. Every read checks the bounds and throws
// MalformedInput: a hostile datagram costs at most its own length in work.
import { wordToHex } from '../tracer/ids.js';
import { MalformedInput } from './model.js';

export const T_STOP = 0;
export const T_BOOL = 2;
export const T_BYTE = 3;
export const T_DOUBLE = 4;
export const T_I16 = 6;
export const T_I32 = 8;
export const T_I64 = 10;
export const T_STRING = 11;
export const T_STRUCT = 12;
export const T_MAP = 13;
export const T_SET = 14;
export const T_LIST = 15;

const MAX_DEPTH = 32;
const TWO_POW_32 = 4294967296;

export interface ThriftReader {
  /** Reads a message header; returns the method name. */
  messageBegin(): string;
  structBegin(): void;
  structEnd(): void;
  /** The next field's type (T_STOP at the end); its id is in `fieldId`. */
  fieldBegin(): number;
  fieldId: number;
  /** Reads a list or set header; returns its size; the element type is in `elementType`. */
  listBegin(): number;
  elementType: number;
  bool(): boolean;
  i32(): number;
  /** Reads an i64 into `hi` and `lo` (both as unsigned 32-bit words). */
  i64(): void;
  hi: number;
  lo: number;
  double(): number;
  string(): string;
  binary(): Buffer;
  skip(type: number): void;
  readonly remaining: number;
}

function fail(what: string): never {
  throw new MalformedInput(what);
}

/** The last i64 read, as a number (exact up to 2^53) or, beyond that, its decimal string. */
export function i64Value(reader: ThriftReader): number | string {
  const value = (reader.hi | 0) * TWO_POW_32 + reader.lo;
  if (Number.isSafeInteger(value)) return value;
  return ((BigInt(reader.hi | 0) << 32n) | BigInt(reader.lo)).toString();
}

export function i64Number(reader: ThriftReader): number {
  return (reader.hi | 0) * TWO_POW_32 + reader.lo;
}

export function i64Hex(reader: ThriftReader): string {
  return wordToHex(reader.hi) + wordToHex(reader.lo);
}

abstract class BaseReader {
  off = 0;
  fieldId = 0;
  elementType = 0;
  hi = 0;
  lo = 0;
  protected depth = 0;
  constructor(protected readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.off;
  }

  protected need(n: number): void {
    if (n < 0 || this.off + n > this.buf.length) fail('truncated');
  }

  abstract fieldBegin(): number;
  abstract listBegin(): number;
  abstract bool(): boolean;
  abstract i32(): number;
  abstract i64(): void;
  abstract double(): number;
  abstract structBegin(): void;
  abstract structEnd(): void;
  protected abstract mapBegin(): [number, number, number];
  protected abstract byte(): number;

  /** The next string's byte length (the protocols differ only there). */
  protected abstract stringLength(): number;

  binary(): Buffer {
    const length = this.stringLength();
    this.need(length);
    const out = this.buf.subarray(this.off, this.off + length);
    this.off += length;
    return out;
  }

  /** Decoded in place: no Buffer view is made per string (most of a span's bytes are strings). */
  string(): string {
    const length = this.stringLength();
    this.need(length);
    const text = this.buf.toString('utf8', this.off, this.off + length);
    this.off += length;
    return text;
  }

  skip(type: number): void {
    if (++this.depth > MAX_DEPTH) fail('nested too deep');
    switch (type) {
      case T_BOOL: this.bool(); break;
      case T_BYTE: this.byte(); break;
      case T_I16: case T_I32: this.i32(); break;
      case T_I64: this.i64(); break;
      case T_DOUBLE: this.double(); break;
      case T_STRING: this.binary(); break;
      case T_STRUCT:
        this.structBegin();
        for (let t = this.fieldBegin(); t !== T_STOP; t = this.fieldBegin()) this.skip(t);
        this.structEnd();
        break;
      case T_LIST: case T_SET: {
        const size = this.listBegin();
        const element = this.elementType;
        for (let i = 0; i < size; i++) this.skip(element);
        break;
      }
      case T_MAP: {
        const [size, keyType, valueType] = this.mapBegin();
        for (let i = 0; i < size; i++) {
          this.skip(keyType);
          this.skip(valueType);
        }
        break;
      }
      default: fail(`unknown type ${type}`);
    }
    this.depth--;
  }
}

// Compact type ids → binary ones (index: compact id).
const COMPACT_TO_TYPE = [T_STOP, T_BOOL, T_BOOL, T_BYTE, T_I16, T_I32, T_I64, T_DOUBLE, T_STRING, T_LIST, T_SET, T_MAP, T_STRUCT];

export class CompactReader extends BaseReader implements ThriftReader {
  private lastField = 0;
  private readonly lastFields: number[] = [];
  /** A bool field carries its value in the field header. */
  private pendingBool = -1;

  messageBegin(): string {
    if (this.byte() !== 0x82) fail('not a compact protocol message');
    const versionAndType = this.byte();
    if ((versionAndType & 0x1f) !== 1) fail('unknown compact protocol version');
    this.varint32();
    return this.string();
  }

  structBegin(): void {
    if (this.lastFields.length >= MAX_DEPTH) fail('nested too deep');
    this.lastFields.push(this.lastField);
    this.lastField = 0;
  }

  structEnd(): void {
    this.lastField = this.lastFields.pop() ?? 0;
  }

  fieldBegin(): number {
    const header = this.byte();
    const compactType = header & 0x0f;
    if (compactType === 0) return T_STOP;
    const delta = header >> 4;
    this.fieldId = delta === 0 ? this.zigzag32() : this.lastField + delta;
    this.lastField = this.fieldId;
    const type = COMPACT_TO_TYPE[compactType];
    if (type === undefined) fail(`unknown compact type ${compactType}`);
    if (compactType === 1 || compactType === 2) this.pendingBool = compactType === 1 ? 1 : 0;
    return type;
  }

  listBegin(): number {
    const header = this.byte();
    let size = header >> 4;
    if (size === 15) size = this.varint32();
    const type = COMPACT_TO_TYPE[header & 0x0f];
    if (type === undefined || type === T_STOP) fail('unknown list element type');
    this.elementType = type;
    // Every element takes at least one byte: a size beyond the bytes left is a lie.
    if (size > this.remaining) fail('list longer than the input');
    return size;
  }

  protected mapBegin(): [number, number, number] {
    const size = this.varint32();
    if (size === 0) return [0, T_STOP, T_STOP];
    const types = this.byte();
    const keyType = COMPACT_TO_TYPE[types >> 4];
    const valueType = COMPACT_TO_TYPE[types & 0x0f];
    if (keyType === undefined || valueType === undefined || size > this.remaining) fail('bad map header');
    return [size, keyType, valueType];
  }

  bool(): boolean {
    if (this.pendingBool !== -1) {
      const value = this.pendingBool === 1;
      this.pendingBool = -1;
      return value;
    }
    return this.byte() === 1;
  }

  protected byte(): number {
    if (this.off >= this.buf.length) fail('truncated');
    return this.buf[this.off++]!;
  }

  private varint32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result |= (b & 0x7f) << shift;
      if (b < 0x80) return result >>> 0;
    }
    return fail('varint too long');
  }

  private zigzag32(): number {
    const n = this.varint32();
    return (n >>> 1) ^ -(n & 1);
  }

  i32(): number {
    this.pendingBool = -1;
    return this.zigzag32();
  }

  i64(): void {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      if (shift >= 70) fail('varint too long');
      const b = this.byte();
      const bits = b & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >> 4;
      } else hi |= bits << (shift - 32);
      shift += 7;
      if (b < 0x80) break;
    }
    // zigzag: (n >>> 1) ^ -(n & 1) on 64 bits
    const negative = lo & 1;
    let outLo = (lo >>> 1) | (hi << 31);
    let outHi = hi >>> 1;
    if (negative) {
      outLo = ~outLo;
      outHi = ~outHi;
    }
    this.lo = outLo >>> 0;
    this.hi = outHi >>> 0;
  }

  double(): number {
    this.need(8);
    const value = this.buf.readDoubleLE(this.off);
    this.off += 8;
    return value;
  }

  protected stringLength(): number {
    return this.varint32();
  }
}

export class BinaryReader extends BaseReader implements ThriftReader {
  messageBegin(): string {
    this.need(4);
    const first = this.buf.readInt32BE(this.off);
    if (first < 0) {
      if ((first & 0xffff0000) !== (0x80010000 | 0)) fail('unknown binary protocol version');
      this.off += 4;
      const name = this.string();
      this.i32();
      return name;
    }
    const name = this.string(); // old, non-strict header: name, type byte, seqid
    this.byte();
    this.i32();
    return name;
  }

  structBegin(): void {
    if (++this.depth > MAX_DEPTH * 2) fail('nested too deep');
  }

  structEnd(): void {
    this.depth--;
  }

  fieldBegin(): number {
    const type = this.byte();
    if (type === T_STOP) return T_STOP;
    this.need(2);
    this.fieldId = this.buf.readInt16BE(this.off);
    this.off += 2;
    return type;
  }

  listBegin(): number {
    this.elementType = this.byte();
    const size = this.i32();
    if (size < 0 || size > this.remaining) fail('list longer than the input');
    return size;
  }

  protected mapBegin(): [number, number, number] {
    const keyType = this.byte();
    const valueType = this.byte();
    const size = this.i32();
    if (size < 0 || size > this.remaining) fail('map longer than the input');
    return [size, keyType, valueType];
  }

  protected byte(): number {
    if (this.off >= this.buf.length) fail('truncated');
    return this.buf[this.off++]!;
  }

  bool(): boolean {
    return this.byte() !== 0;
  }

  i32(): number {
    this.need(4);
    const value = this.buf.readInt32BE(this.off);
    this.off += 4;
    return value;
  }

  i64(): void {
    this.need(8);
    this.hi = this.buf.readUInt32BE(this.off);
    this.lo = this.buf.readUInt32BE(this.off + 4);
    this.off += 8;
  }

  double(): number {
    this.need(8);
    const value = this.buf.readDoubleBE(this.off);
    this.off += 8;
    return value;
  }

  protected stringLength(): number {
    return this.i32();
  }
}
