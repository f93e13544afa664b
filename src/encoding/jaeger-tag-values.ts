// How tag and log field values map onto jaeger.thrift's Tag struct, shared by both protocols.
import { renderBounded } from '../tracer/tag-value.js';

/** jaeger.thrift `TagType`. */
export const TAG_STRING = 0;
export const TAG_DOUBLE = 1;
export const TAG_BOOL = 2;
export const TAG_LONG = 3;
export const TAG_BINARY = 4;

/** jaeger.thrift `SpanRefType`. */
export const REF_CHILD_OF = 0;
export const REF_FOLLOWS_FROM = 1;

/** A value the encoders write as it is; everything else is turned into one of these first. */
export type WireValue = string | number | boolean | bigint | Uint8Array;

/**
 * Objects are stringified to at most this many characters. Spans snapshot objects when they are
 * tagged (within their own limit); this bounds values that reach an encoder some other way.
 */
export const MAX_STRINGIFIED_LENGTH = 4096;

const TWO_32 = 4294967296;
const TWO_63 = 9223372036854775808;

/** Never throws: whatever a user tagged becomes a string, number, boolean, i64 bigint or bytes. */
export function toWireValue(value: unknown): WireValue {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return BigInt.asIntN(64, value) === value ? value : value.toString();
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return value.toString();
    case 'function':
      return `[function ${value.name === '' ? 'anonymous' : value.name}]`;
    default:
      if (value === null) return 'null';
      if (value instanceof Uint8Array) return value;
      if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return renderBounded(value, MAX_STRINGIFIED_LENGTH);
  }
}

/** Integers that fit a signed i64 are LONG tags; every other number is a DOUBLE. */
export function isLong(value: number): boolean {
  return Number.isInteger(value) && value >= -TWO_63 && value < TWO_63;
}

/** Most significant int32 word of an integer below 2^63 in magnitude. */
export function highWord(value: number): number {
  return Math.floor(value / TWO_32) | 0;
}

/** Least significant int32 word of an integer (ToInt32 is exact modulo 2^32). */
export function lowWord(value: number): number {
  return value | 0;
}

export function bigintHighWord(value: bigint): number {
  return Number(BigInt.asIntN(32, value >> 32n));
}

export function bigintLowWord(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** Milliseconds (fractional) to whole microseconds, as Jaeger's startTime/duration expect. */
export function microseconds(ms: number): number {
  return Math.round(ms * 1000);
}

/** Bytes of room a tag needs beyond the fixed 32: the key and the value at worst-case UTF-8. */
export function tagRoom(key: string, value: WireValue): number {
  const valueRoom = typeof value === 'string' ? 3 * value.length : value instanceof Uint8Array ? value.length : 0;
  return 32 + 3 * key.length + valueRoom;
}
