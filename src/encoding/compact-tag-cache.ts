// Tags repeat endlessly: the same keys, and for many keys the same few values (span.kind=server,
// http.method=GET, sampler.type=const). Each key keeps its compact-protocol bytes (key field and
// the vType field header), and whole encoded Tag structs for up to VALUES_PER_KEY short values,
// looked up by a linear scan (cheaper than a Map for a handful). A key whose values keep changing
// (http.url, peer.port) fills its slots, then, once misses outrun hits, stops being looked up.
// Bounded in keys, values per key and value length.
import { COMPACT_BINARY, COMPACT_I32, fieldHeader, writeString } from './thrift-compact.js';

const MAX_CACHED_KEYS = 512;
const MAX_CACHED_KEY_LENGTH = 64;
const VALUES_PER_KEY = 8;
const MAX_CACHED_VALUE_LENGTH = 32;

type CachedValue = string | number | boolean;

export interface KeyBytes {
  /** The key field and the vType field header. */
  readonly key: Uint8Array;
  readonly values: CachedValue[];
  /** `tags[i]` is the whole encoded Tag struct for `values[i]`. */
  readonly tags: Uint8Array[];
  /** Lookups that found nothing once the slots were full, less hits since; at VALUES_PER_KEY, lookups stop. */
  misses: number;
}

const keyCache = new Map<string, KeyBytes>();

function encodeKey(key: string): Uint8Array {
  const scratch = Buffer.allocUnsafe(8 + 3 * key.length);
  scratch[0] = fieldHeader(1, COMPACT_BINARY);
  let end = writeString(scratch, 1, key);
  scratch[end++] = fieldHeader(1, COMPACT_I32);
  return new Uint8Array(scratch.subarray(0, end));
}

/** The cache entry of `key`, made on first use; undefined for keys too long or once the cache is full. */
export function keyBytesOf(key: string): KeyBytes | undefined {
  let bytes = keyCache.get(key);
  if (bytes === undefined && key.length <= MAX_CACHED_KEY_LENGTH && keyCache.size < MAX_CACHED_KEYS) {
    bytes = { key: encodeKey(key), values: [], tags: [], misses: 0 };
    keyCache.set(key, bytes);
  }
  return bytes;
}

/** Whether `value` of the key `bytes` is worth looking up (and keeping). */
export function isLookedUp(bytes: KeyBytes, value: unknown): value is CachedValue {
  if (bytes.misses >= VALUES_PER_KEY) return false;
  return typeof value === 'string' ? value.length <= MAX_CACHED_VALUE_LENGTH : typeof value === 'number' || typeof value === 'boolean';
}

/** The encoded Tag struct for `value`, if kept. */
export function cachedTag(bytes: KeyBytes, value: CachedValue): Uint8Array | undefined {
  const values = bytes.values;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === value) {
      if (bytes.misses > 0) bytes.misses--;
      return bytes.tags[i];
    }
  }
  return undefined;
}

/**
 * Keeps a copy of `encoded` (the Tag struct for `value`) while the key has free slots, and
 * returns it; undefined (and a miss counted) once they are full.
 */
export function rememberTag(bytes: KeyBytes, value: CachedValue, encoded: Uint8Array): Uint8Array | undefined {
  if (bytes.values.length < VALUES_PER_KEY) {
    const copy = new Uint8Array(encoded);
    bytes.values.push(value);
    bytes.tags.push(copy);
    return copy;
  }
  bytes.misses++;
  return undefined;
}

/** Copies `bytes` into `buf` at `off`; returns the offset after them. */
export function copyBytes(buf: Buffer, off: number, bytes: Uint8Array): number {
  const n = bytes.length;
  // A native copy costs a fixed ~15 ns; a loop ~1 ns per byte.
  if (n > 16) buf.set(bytes, off);
  else for (let i = 0; i < n; i++) buf[off + i] = bytes[i]!;
  return off + n;
}
