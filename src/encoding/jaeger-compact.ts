// jaeger.thrift structs in the Thrift compact protocol. Field headers are constants: the field
// id delta sits in the high nibble, so a skipped optional field changes the next header.
import type { FinishedSpan, FinishedSpanReference } from '../tracer/finished-span.js';
import type { SpanLog } from '../tracer/types.js';
import {
  COMPACT_BINARY, COMPACT_BOOL_FALSE, COMPACT_BOOL_TRUE, COMPACT_DOUBLE, COMPACT_I32, COMPACT_I64,
  COMPACT_LIST, COMPACT_STRUCT, fieldHeader, writeBinary, writeDouble, writeListHeader,
  writeString, writeZigzag32, writeZigzag64,
} from './thrift-compact.js';
import { ThriftSink } from './thrift-sink.js';
import {
  REF_CHILD_OF, REF_FOLLOWS_FROM, TAG_BINARY, TAG_BOOL, TAG_DOUBLE, TAG_LONG, TAG_STRING,
  bigintHighWord, bigintLowWord, highWord, isLong, lowWord, microseconds, tagRoom, toWireValue,
} from './jaeger-tag-values.js';
import type { WireValue } from './jaeger-tag-values.js';
import { cachedTag, copyBytes, isLookedUp, keyBytesOf, rememberTag } from './compact-tag-cache.js';
import type { KeyBytes } from './compact-tag-cache.js';

const STOP = 0;
const I32_NEXT = fieldHeader(1, COMPACT_I32);
const I32_AFTER_GAP = fieldHeader(2, COMPACT_I32);
const I64_NEXT = fieldHeader(1, COMPACT_I64);
const STRING_NEXT = fieldHeader(1, COMPACT_BINARY);
const LIST_NEXT = fieldHeader(1, COMPACT_LIST);
const LIST_AFTER_GAP = fieldHeader(2, COMPACT_LIST);

// Tag fields: 1 key, 2 vType, then one of 3 vStr, 4 vDouble, 5 vBool, 6 vLong, 7 vBinary.
const V_STR = fieldHeader(1, COMPACT_BINARY);
const V_DOUBLE = fieldHeader(2, COMPACT_DOUBLE);
const V_BOOL_TRUE = fieldHeader(3, COMPACT_BOOL_TRUE);
const V_BOOL_FALSE = fieldHeader(3, COMPACT_BOOL_FALSE);
const V_LONG = fieldHeader(4, COMPACT_I64);
const V_BINARY = fieldHeader(5, COMPACT_BINARY);

function writeKey(buf: Buffer, off: number, key: string, bytes: KeyBytes | undefined): number {
  if (bytes !== undefined) return copyBytes(buf, off, bytes.key);
  buf[off++] = STRING_NEXT;
  off = writeString(buf, off, key);
  buf[off++] = I32_NEXT;
  return off;
}

/** One Tag struct; needs `tagRoom(key, value)` bytes. */
function writeTag(buf: Buffer, off: number, key: string, value: WireValue, bytes?: KeyBytes): number {
  off = writeKey(buf, off, key, bytes);
  if (typeof value === 'string') {
    buf[off++] = TAG_STRING << 1;
    buf[off++] = V_STR;
    off = writeString(buf, off, value);
  } else if (typeof value === 'number') {
    if ((value | 0) === value) {
      buf[off++] = TAG_LONG << 1;
      buf[off++] = V_LONG;
      off = writeZigzag32(buf, off, value); // an int32's i64 zigzag is its i32 zigzag
    } else if (isLong(value)) {
      buf[off++] = TAG_LONG << 1;
      buf[off++] = V_LONG;
      off = writeZigzag64(buf, off, highWord(value), lowWord(value));
    } else {
      buf[off++] = TAG_DOUBLE << 1;
      buf[off++] = V_DOUBLE;
      off = writeDouble(buf, off, value);
    }
  } else if (typeof value === 'boolean') {
    buf[off++] = TAG_BOOL << 1;
    buf[off++] = value ? V_BOOL_TRUE : V_BOOL_FALSE;
  } else if (typeof value === 'bigint') {
    buf[off++] = TAG_LONG << 1;
    buf[off++] = V_LONG;
    off = writeZigzag64(buf, off, bigintHighWord(value), bigintLowWord(value));
  } else {
    buf[off++] = TAG_BINARY << 1;
    buf[off++] = V_BINARY;
    off = writeBinary(buf, off, value);
  }
  buf[off++] = STOP;
  return off;
}

/**
 * The whole encoded Tag struct for `key` = `value` from the cache (encoded and kept on first
 * use), or undefined for values the cache does not keep.
 */
function cachedTagBytes(key: string, value: unknown, bytes: KeyBytes | undefined): Uint8Array | undefined {
  if (bytes === undefined || !isLookedUp(bytes, value)) return undefined;
  const cached = cachedTag(bytes, value);
  if (cached !== undefined) return cached;
  const scratch = tagScratch.reserve(0, tagRoom(key, value));
  const end = writeTag(scratch, 0, key, value, bytes);
  return rememberTag(bytes, value, scratch.subarray(0, end));
}

const tagScratch = new ThriftSink(256);

// Spans of one kind list their tags in the same order with mostly the same values (a server
// span's kind, component, method, sampler tags, status): the tag last written at each position
// is remembered, and a tag equal to it is copied without any lookup. A stretch of two or more
// positions that repeated from one span to the next is also kept, as its key/value pairs and the
// bytes written for them: a later span that repeats the stretch costs a comparison per tag and
// a single copy. Only cached (primitive) values are kept, so nothing is kept alive.
const MEMO_SLOTS = 32;
const memoKeys: unknown[] = [];
const memoValues: unknown[] = [];
const memoTags: (Uint8Array | undefined)[] = [];

interface Run {
  /** Slot after the run's last. */
  readonly end: number;
  /** The run's [key, value, ...] pairs. */
  readonly pairs: readonly unknown[];
  readonly bytes: Uint8Array;
}
/** `runs[slot]`: the run starting at that slot. */
const runs: (Run | undefined)[] = [];
let runsBuilt = 0;

/** @internal How many runs have been built so far (tests check that they settle). */
export function compactRunsBuilt(): number {
  return runsBuilt;
}

function repeatsRun(pairs: readonly unknown[], slot: number, run: Run): boolean {
  const from = 2 * slot;
  const kept = run.pairs;
  if (from + kept.length > pairs.length) return false;
  for (let i = 0; i < kept.length; i++) if (pairs[from + i] !== kept[i]) return false;
  return true;
}

/**
 * Keeps slots `from`..`to`-1, written at `start`..`off` of `buf`, as the run at `from`. Called
 * only when no run at `from` matched this span: a run is replaced only by what this span and the
 * one before it share, so spans of a few shapes in turn settle on their common runs.
 */
function rememberRun(pairs: readonly unknown[], from: number, to: number, buf: Buffer, start: number, off: number): void {
  if (to - from < 2) return;
  runs[from] = { end: to, pairs: pairs.slice(2 * from, 2 * to), bytes: new Uint8Array(buf.subarray(start, off)) };
  runsBuilt++;
}

/** list<Tag> from flat [key, value, ...] pairs. */
function writeTagList(sink: ThriftSink, off: number, pairs: readonly unknown[]): number {
  const buf = sink.reserve(off, 6);
  const count = pairs.length >> 1;
  off = writeListHeader(buf, off, COMPACT_STRUCT, count);
  // The current stretch of slots that repeat an earlier span's: its first slot and offset.
  let streak = 0;
  let streakOff = off;
  for (let slot = 0; slot < count; slot++) {
    const run = runs[slot];
    if (run !== undefined && repeatsRun(pairs, slot, run)) {
      off = copyBytes(sink.reserve(off, run.bytes.length), off, run.bytes);
      slot = run.end - 1;
      // What repeats after the run is a run of its own (never a longer copy of this one).
      streak = run.end;
      streakOff = off;
      continue;
    }
    const rawKey = pairs[2 * slot];
    const value = pairs[2 * slot + 1];
    if (memoKeys[slot] === rawKey && memoValues[slot] === value) {
      const memo = memoTags[slot];
      if (memo !== undefined) {
        off = copyBytes(sink.reserve(off, memo.length), off, memo);
        continue;
      }
    }
    rememberRun(pairs, streak, slot, sink.buf, streakOff, off);
    const key = typeof rawKey === 'string' ? rawKey : String(rawKey);
    const bytes = keyBytesOf(key);
    const cached = cachedTagBytes(key, value, bytes);
    if (cached !== undefined) {
      off = copyBytes(sink.reserve(off, cached.length), off, cached);
    } else {
      const wire = toWireValue(value);
      off = writeTag(sink.reserve(off, tagRoom(key, wire)), off, key, wire, bytes);
    }
    streak = slot + 1;
    streakOff = off;
    if (slot < MEMO_SLOTS) {
      memoKeys[slot] = rawKey;
      memoValues[slot] = cached === undefined ? undefined : value; // nothing kept alive that is not cached
      memoTags[slot] = cached;
    }
  }
  if (count <= MEMO_SLOTS) rememberRun(pairs, streak, count, sink.buf, streakOff, off);
  return off;
}

/** list<Tag> from an object's own enumerable properties. */
function writeFieldList(sink: ThriftSink, off: number, fields: Readonly<Record<string, unknown>>): number {
  const keys = Object.keys(fields);
  let buf = sink.reserve(off, 6);
  off = writeListHeader(buf, off, COMPACT_STRUCT, keys.length);
  for (const key of keys) {
    const value = toWireValue(fields[key]);
    buf = sink.reserve(off, tagRoom(key, value));
    off = writeTag(buf, off, key, value, keyBytesOf(key));
  }
  return off;
}

function writeReferences(sink: ThriftSink, off: number, references: readonly FinishedSpanReference[]): number {
  const buf = sink.reserve(off, 6 + 40 * references.length);
  off = writeListHeader(buf, off, COMPACT_STRUCT, references.length);
  for (const reference of references) {
    const context = reference.context;
    const trace = context.traceWords;
    buf[off++] = I32_NEXT;
    buf[off++] = (reference.type === 'follows_from' ? REF_FOLLOWS_FROM : REF_CHILD_OF) << 1;
    buf[off++] = I64_NEXT;
    off = writeZigzag64(buf, off, trace[2]!, trace[3]!);
    buf[off++] = I64_NEXT;
    off = writeZigzag64(buf, off, trace[0]!, trace[1]!);
    buf[off++] = I64_NEXT;
    off = writeZigzag64(buf, off, context.spanIdHi, context.spanIdLo);
    buf[off++] = STOP;
  }
  return off;
}

function writeLogs(sink: ThriftSink, off: number, logs: readonly SpanLog[]): number {
  let buf = sink.reserve(off, 6);
  off = writeListHeader(buf, off, COMPACT_STRUCT, logs.length);
  for (const log of logs) {
    const timestamp = microseconds(log.timestamp);
    buf = sink.reserve(off, 12);
    buf[off++] = I64_NEXT;
    off = writeZigzag64(buf, off, highWord(timestamp), lowWord(timestamp));
    buf[off++] = LIST_NEXT;
    off = writeFieldList(sink, off, log.fields);
    buf = sink.reserve(off, 1);
    buf[off++] = STOP;
  }
  return off;
}

/**
 * Appends one jaeger.thrift `Span` struct to `sink`. The parent travels in `parentSpanId` only:
 * Jaeger turns a non-zero parentSpanId into a CHILD_OF reference itself, so `references` carries
 * just the references the span was started with.
 */
export function writeCompactSpan(sink: ThriftSink, span: FinishedSpan): void {
  const context = span.context();
  const trace = context.traceWords;
  const name = span.operationName;
  let off = sink.off;
  let buf = sink.reserve(off, 96 + 3 * name.length);
  buf[off++] = I64_NEXT;
  off = writeZigzag64(buf, off, trace[2]!, trace[3]!);
  buf[off++] = I64_NEXT;
  off = writeZigzag64(buf, off, trace[0]!, trace[1]!);
  buf[off++] = I64_NEXT;
  off = writeZigzag64(buf, off, context.spanIdHi, context.spanIdLo);
  buf[off++] = I64_NEXT;
  off = writeZigzag64(buf, off, context.parentIdHi, context.parentIdLo);
  buf[off++] = STRING_NEXT;
  off = writeString(buf, off, name);
  const references = span.references;
  if (references !== null && references.length > 0) {
    buf[off++] = LIST_NEXT;
    off = writeReferences(sink, off, references);
    buf = sink.reserve(off, 48);
    buf[off++] = I32_NEXT;
  } else {
    buf[off++] = I32_AFTER_GAP;
  }
  off = writeZigzag32(buf, off, context.flags);
  const start = microseconds(span.startTime);
  const duration = microseconds(span.duration);
  buf[off++] = I64_NEXT;
  off = writeZigzag64(buf, off, highWord(start), lowWord(start));
  buf[off++] = I64_NEXT;
  off = writeZigzag64(buf, off, highWord(duration), lowWord(duration));
  let logsHeader = LIST_NEXT;
  if (span.tags.length > 1) {
    buf[off++] = LIST_NEXT;
    off = writeTagList(sink, off, span.tags);
  } else {
    logsHeader = LIST_AFTER_GAP;
  }
  const logs = span.logs;
  if (logs !== null && logs.length > 0) {
    buf = sink.reserve(off, 1);
    buf[off++] = logsHeader;
    off = writeLogs(sink, off, logs);
  }
  buf = sink.reserve(off, 1);
  buf[off++] = STOP;
  sink.off = off;
}

/** The fields of a jaeger.thrift `Process` struct, with its stop byte. */
export function encodeCompactProcess(serviceName: string, tags: Readonly<Record<string, unknown>>): Buffer {
  const sink = new ThriftSink(256);
  let buf = sink.reserve(0, 8 + 3 * serviceName.length);
  buf[0] = STRING_NEXT;
  let off = writeString(buf, 1, serviceName);
  const pairs = Object.keys(tags).flatMap((key) => [key, tags[key]]);
  if (pairs.length > 0) {
    buf[off++] = LIST_NEXT;
    off = writeTagList(sink, off, pairs);
  }
  buf = sink.reserve(off, 1);
  buf[off++] = STOP;
  return Buffer.from(buf.subarray(0, off));
}
