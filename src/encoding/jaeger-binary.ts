// jaeger.thrift structs in the Thrift binary protocol (agent port 6832 and the collector's HTTP
// endpoint). Same layout decisions as the compact encoder.
import type { FinishedSpan, FinishedSpanReference } from '../tracer/finished-span.js';
import type { SpanLog } from '../tracer/types.js';
import {
  BINARY_BOOL, BINARY_DOUBLE, BINARY_I32, BINARY_I64, BINARY_LIST, BINARY_STRING, BINARY_STRUCT,
  writeBinary, writeDouble, writeFieldHeader, writeI32, writeI64, writeListHeader, writeString,
} from './thrift-binary.js';
import { ThriftSink } from './thrift-sink.js';
import {
  REF_CHILD_OF, REF_FOLLOWS_FROM, TAG_BINARY, TAG_BOOL, TAG_DOUBLE, TAG_LONG, TAG_STRING,
  bigintHighWord, bigintLowWord, highWord, isLong, lowWord, microseconds, tagRoom, toWireValue,
} from './jaeger-tag-values.js';
import type { WireValue } from './jaeger-tag-values.js';

const STOP = 0;

function writeTag(buf: Buffer, off: number, key: string, value: WireValue): number {
  off = writeFieldHeader(buf, off, BINARY_STRING, 1);
  off = writeString(buf, off, key);
  off = writeFieldHeader(buf, off, BINARY_I32, 2);
  if (typeof value === 'string') {
    off = writeI32(buf, off, TAG_STRING);
    off = writeFieldHeader(buf, off, BINARY_STRING, 3);
    off = writeString(buf, off, value);
  } else if (typeof value === 'number') {
    if (isLong(value)) {
      const int32 = (value | 0) === value;
      off = writeI32(buf, off, TAG_LONG);
      off = writeFieldHeader(buf, off, BINARY_I64, 6);
      off = writeI64(buf, off, int32 ? value >> 31 : highWord(value), int32 ? value : lowWord(value));
    } else {
      off = writeI32(buf, off, TAG_DOUBLE);
      off = writeFieldHeader(buf, off, BINARY_DOUBLE, 4);
      off = writeDouble(buf, off, value);
    }
  } else if (typeof value === 'boolean') {
    off = writeI32(buf, off, TAG_BOOL);
    off = writeFieldHeader(buf, off, BINARY_BOOL, 5);
    buf[off++] = value ? 1 : 0;
  } else if (typeof value === 'bigint') {
    off = writeI32(buf, off, TAG_LONG);
    off = writeFieldHeader(buf, off, BINARY_I64, 6);
    off = writeI64(buf, off, bigintHighWord(value), bigintLowWord(value));
  } else {
    off = writeI32(buf, off, TAG_BINARY);
    off = writeFieldHeader(buf, off, BINARY_STRING, 7);
    off = writeBinary(buf, off, value);
  }
  buf[off++] = STOP;
  return off;
}

/** Field header and list<Tag> from flat [key, value, ...] pairs. */
function writeTagListField(sink: ThriftSink, off: number, id: number, pairs: readonly unknown[]): number {
  let buf = sink.reserve(off, 8);
  off = writeFieldHeader(buf, off, BINARY_LIST, id);
  off = writeListHeader(buf, off, BINARY_STRUCT, pairs.length >> 1);
  for (let i = 1; i < pairs.length; i += 2) {
    const key = pairs[i - 1];
    const name = typeof key === 'string' ? key : String(key);
    const value = toWireValue(pairs[i]);
    buf = sink.reserve(off, tagRoom(name, value));
    off = writeTag(buf, off, name, value);
  }
  return off;
}

function writeFieldListField(sink: ThriftSink, off: number, id: number, fields: Readonly<Record<string, unknown>>): number {
  const keys = Object.keys(fields);
  let buf = sink.reserve(off, 8);
  off = writeFieldHeader(buf, off, BINARY_LIST, id);
  off = writeListHeader(buf, off, BINARY_STRUCT, keys.length);
  for (const key of keys) {
    const value = toWireValue(fields[key]);
    buf = sink.reserve(off, tagRoom(key, value));
    off = writeTag(buf, off, key, value);
  }
  return off;
}

function writeReferencesField(sink: ThriftSink, off: number, references: readonly FinishedSpanReference[]): number {
  const buf = sink.reserve(off, 8 + 40 * references.length);
  off = writeFieldHeader(buf, off, BINARY_LIST, 6);
  off = writeListHeader(buf, off, BINARY_STRUCT, references.length);
  for (const reference of references) {
    const context = reference.context;
    const trace = context.traceWords;
    off = writeFieldHeader(buf, off, BINARY_I32, 1);
    off = writeI32(buf, off, reference.type === 'follows_from' ? REF_FOLLOWS_FROM : REF_CHILD_OF);
    off = writeFieldHeader(buf, off, BINARY_I64, 2);
    off = writeI64(buf, off, trace[2]!, trace[3]!);
    off = writeFieldHeader(buf, off, BINARY_I64, 3);
    off = writeI64(buf, off, trace[0]!, trace[1]!);
    off = writeFieldHeader(buf, off, BINARY_I64, 4);
    off = writeI64(buf, off, context.spanIdHi, context.spanIdLo);
    buf[off++] = STOP;
  }
  return off;
}

function writeLogsField(sink: ThriftSink, off: number, logs: readonly SpanLog[]): number {
  let buf = sink.reserve(off, 8);
  off = writeFieldHeader(buf, off, BINARY_LIST, 11);
  off = writeListHeader(buf, off, BINARY_STRUCT, logs.length);
  for (const log of logs) {
    const timestamp = microseconds(log.timestamp);
    buf = sink.reserve(off, 12);
    off = writeFieldHeader(buf, off, BINARY_I64, 1);
    off = writeI64(buf, off, highWord(timestamp), lowWord(timestamp));
    off = writeFieldListField(sink, off, 2, log.fields);
    buf = sink.reserve(off, 1);
    buf[off++] = STOP;
  }
  return off;
}

/** Appends one jaeger.thrift `Span` struct to `sink` (parent as in `writeCompactSpan`). */
export function writeBinarySpan(sink: ThriftSink, span: FinishedSpan): void {
  const context = span.context();
  const trace = context.traceWords;
  const name = span.operationName;
  let off = sink.off;
  let buf = sink.reserve(off, 64 + 3 * name.length);
  off = writeFieldHeader(buf, off, BINARY_I64, 1);
  off = writeI64(buf, off, trace[2]!, trace[3]!);
  off = writeFieldHeader(buf, off, BINARY_I64, 2);
  off = writeI64(buf, off, trace[0]!, trace[1]!);
  off = writeFieldHeader(buf, off, BINARY_I64, 3);
  off = writeI64(buf, off, context.spanIdHi, context.spanIdLo);
  off = writeFieldHeader(buf, off, BINARY_I64, 4);
  off = writeI64(buf, off, context.parentIdHi, context.parentIdLo);
  off = writeFieldHeader(buf, off, BINARY_STRING, 5);
  off = writeString(buf, off, name);
  const references = span.references;
  if (references !== null && references.length > 0) off = writeReferencesField(sink, off, references);
  const start = microseconds(span.startTime);
  const duration = microseconds(span.duration);
  buf = sink.reserve(off, 30);
  off = writeFieldHeader(buf, off, BINARY_I32, 7);
  off = writeI32(buf, off, context.flags);
  off = writeFieldHeader(buf, off, BINARY_I64, 8);
  off = writeI64(buf, off, highWord(start), lowWord(start));
  off = writeFieldHeader(buf, off, BINARY_I64, 9);
  off = writeI64(buf, off, highWord(duration), lowWord(duration));
  if (span.tags.length > 1) off = writeTagListField(sink, off, 10, span.tags);
  const logs = span.logs;
  if (logs !== null && logs.length > 0) off = writeLogsField(sink, off, logs);
  buf = sink.reserve(off, 1);
  buf[off++] = STOP;
  sink.off = off;
}

/** The fields of a jaeger.thrift `Process` struct, with its stop byte. */
export function encodeBinaryProcess(serviceName: string, tags: Readonly<Record<string, unknown>>): Buffer {
  const sink = new ThriftSink(256);
  const buf = sink.reserve(0, 8 + 3 * serviceName.length);
  let off = writeFieldHeader(buf, 0, BINARY_STRING, 1);
  off = writeString(buf, off, serviceName);
  const pairs = Object.keys(tags).flatMap((key) => [key, tags[key]]);
  if (pairs.length > 0) off = writeTagListField(sink, off, 2, pairs);
  sink.reserve(off, 1)[off++] = STOP;
  return Buffer.from(sink.buf.subarray(0, off));
}
