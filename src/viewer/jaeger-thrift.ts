// jaeger.thrift `Batch` (and `Agent.emitBatch` messages) → viewer spans, over either Thrift
// protocol. Field ids are jaeger-idl's; fields of an unexpected type are skipped, as Thrift does.
import type { KeyValue, SpanLog, SpanProcess, SpanRef, ViewerSpan } from './model.js';
import { MalformedInput, withParentReference } from './model.js';
import {
  BinaryReader, CompactReader, T_BOOL, T_DOUBLE, T_I32, T_I64, T_LIST, T_STOP, T_STRING, T_STRUCT,
  i64Hex, i64Number, i64Value,
} from './thrift-reader.js';
import type { ThriftReader } from './thrift-reader.js';

const TAG_TYPES = ['string', 'float64', 'bool', 'int64', 'binary'] as const;

function readTag(r: ThriftReader): KeyValue {
  let key = '';
  let vType = 0;
  // Senders may fill every value field (jaeger-client writes zeros in the unused ones): vType picks.
  const values: KeyValue['value'][] = ['', 0, false, 0, ''];
  r.structBegin();
  for (let type = r.fieldBegin(); type !== T_STOP; type = r.fieldBegin()) {
    const id = r.fieldId;
    if (id === 1 && type === T_STRING) key = r.string();
    else if (id === 2 && type === T_I32) vType = r.i32();
    else if (id === 3 && type === T_STRING) values[0] = r.string();
    else if (id === 4 && type === T_DOUBLE) values[1] = r.double();
    else if (id === 5 && type === T_BOOL) values[2] = r.bool();
    else if (id === 6 && type === T_I64) {
      r.i64();
      values[3] = i64Value(r);
    } else if (id === 7 && type === T_STRING) values[4] = r.binary().toString('base64');
    else r.skip(type);
  }
  r.structEnd();
  const tagType = TAG_TYPES[vType];
  if (tagType === undefined) throw new MalformedInput(`unknown tag type ${vType}`);
  return { key, type: tagType, value: values[vType]! };
}

function readList<T>(r: ThriftReader, type: number, item: (r: ThriftReader) => T): T[] {
  if (type !== T_LIST) {
    r.skip(type);
    return [];
  }
  const size = r.listBegin();
  if (r.elementType !== T_STRUCT) {
    for (let i = 0; i < size; i++) r.skip(r.elementType);
    return [];
  }
  const out: T[] = new Array<T>(size);
  for (let i = 0; i < size; i++) out[i] = item(r);
  return out;
}

function readLog(r: ThriftReader): SpanLog {
  const log: SpanLog = { timestamp: 0, fields: [] };
  r.structBegin();
  for (let type = r.fieldBegin(); type !== T_STOP; type = r.fieldBegin()) {
    if (r.fieldId === 1 && type === T_I64) {
      r.i64();
      log.timestamp = i64Number(r);
    } else if (r.fieldId === 2) log.fields = readList(r, type, readTag);
    else r.skip(type);
  }
  r.structEnd();
  return log;
}

function readRef(r: ThriftReader): SpanRef {
  let refType = 0;
  let low = '0000000000000000';
  let high = '0000000000000000';
  let spanID = '0000000000000000';
  r.structBegin();
  for (let type = r.fieldBegin(); type !== T_STOP; type = r.fieldBegin()) {
    const id = r.fieldId;
    if (id === 1 && type === T_I32) refType = r.i32();
    else if (id >= 2 && id <= 4 && type === T_I64) {
      r.i64();
      const hex = i64Hex(r);
      if (id === 2) low = hex;
      else if (id === 3) high = hex;
      else spanID = hex;
    } else r.skip(type);
  }
  r.structEnd();
  return { refType: refType === 1 ? 'FOLLOWS_FROM' : 'CHILD_OF', traceID: high + low, spanID };
}

function readSpan(r: ThriftReader, process: SpanProcess): ViewerSpan {
  let low = '0000000000000000';
  let high = '0000000000000000';
  const span: ViewerSpan = {
    traceID: '', spanID: '0000000000000000', parentSpanID: '', operationName: '', flags: 0, startTime: 0,
    duration: 0, tags: [], logs: [], references: [], process,
  };
  r.structBegin();
  for (let type = r.fieldBegin(); type !== T_STOP; type = r.fieldBegin()) {
    const id = r.fieldId;
    if (type === T_I64 && (id <= 4 || id === 8 || id === 9)) {
      r.i64();
      if (id === 1) low = i64Hex(r);
      else if (id === 2) high = i64Hex(r);
      else if (id === 3) span.spanID = i64Hex(r);
      else if (id === 4) span.parentSpanID = r.hi === 0 && r.lo === 0 ? '' : i64Hex(r);
      else if (id === 8) span.startTime = i64Number(r);
      else span.duration = Math.max(0, i64Number(r));
    } else if (id === 5 && type === T_STRING) span.operationName = r.string();
    else if (id === 6) span.references = readList(r, type, readRef);
    else if (id === 7 && type === T_I32) span.flags = r.i32();
    else if (id === 10) span.tags = readList(r, type, readTag);
    else if (id === 11) span.logs = readList(r, type, readLog);
    else r.skip(type);
  }
  r.structEnd();
  span.traceID = high + low;
  return withParentReference(span);
}

function readProcess(r: ThriftReader, process: SpanProcess): void {
  r.structBegin();
  for (let type = r.fieldBegin(); type !== T_STOP; type = r.fieldBegin()) {
    if (r.fieldId === 1 && type === T_STRING) process.serviceName = r.string();
    else if (r.fieldId === 2) process.tags = readList(r, type, readTag);
    else r.skip(type);
  }
  r.structEnd();
}

/** Reads a Batch struct; its spans share one process object (filled in whichever order it comes). */
function readBatch(r: ThriftReader): ViewerSpan[] {
  const process: SpanProcess = { serviceName: '', tags: [] };
  let spans: ViewerSpan[] = [];
  r.structBegin();
  for (let type = r.fieldBegin(); type !== T_STOP; type = r.fieldBegin()) {
    if (r.fieldId === 1 && type === T_STRUCT) readProcess(r, process);
    else if (r.fieldId === 2) spans = readList(r, type, (reader) => readSpan(reader, process));
    else r.skip(type);
  }
  r.structEnd();
  if (process.serviceName === '') throw new MalformedInput('batch without a service name');
  return spans;
}

function readEmitBatch(r: ThriftReader & { off: number }, length: number): ViewerSpan[] {
  const name = r.messageBegin();
  if (name !== 'emitBatch') throw new MalformedInput(`unexpected method ${JSON.stringify(name.slice(0, 40))}`);
  let spans: ViewerSpan[] | undefined;
  r.structBegin();
  for (let type = r.fieldBegin(); type !== T_STOP; type = r.fieldBegin()) {
    if (r.fieldId === 1 && type === T_STRUCT) spans = readBatch(r);
    else r.skip(type);
  }
  r.structEnd();
  if (spans === undefined) throw new MalformedInput('emitBatch without a batch');
  if (r.off !== length) throw new MalformedInput('bytes after the message');
  return spans;
}

/**
 * An agent datagram: `Agent.emitBatch` in the compact protocol (first byte 0x82) or the binary one
 * (0x80 0x01: jaeger-client's UDP sender). Either port accepts either, as senders are told apart
 * by their first byte.
 */
export function decodeAgentDatagram(datagram: Buffer): ViewerSpan[] {
  if (datagram[0] === 0x82) return readEmitBatch(new CompactReader(datagram), datagram.length);
  return readEmitBatch(new BinaryReader(datagram), datagram.length);
}

/** A collector request body (`POST /api/traces`): a bare binary-protocol Batch. */
export function decodeBinaryBatch(body: Buffer): ViewerSpan[] {
  const reader = new BinaryReader(body);
  const spans = readBatch(reader);
  if (reader.off !== body.length) throw new MalformedInput('bytes after the batch');
  return spans;
}
