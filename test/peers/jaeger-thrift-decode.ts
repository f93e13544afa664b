// Independent decoders for what the Jaeger exporters send: the Apache `thrift` package's
// TCompactProtocol (a generic struct walk) and `thriftrw` with the IDL shipped in jaeger-client.
// Both return the same plain shape, so tests compare one expectation against either.
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';

const require = createRequire(import.meta.url);

export interface DecodedTag {
  key: string;
  vType: number;
  vStr?: string;
  vDouble?: number;
  vBool?: boolean;
  vLong?: bigint;
  vBinary?: Buffer;
}
export interface DecodedLog { timestamp: bigint; fields: DecodedTag[] }
export interface DecodedRef { refType: number; traceIdLow: bigint; traceIdHigh: bigint; spanId: bigint }
export interface DecodedSpan {
  traceIdLow: bigint;
  traceIdHigh: bigint;
  spanId: bigint;
  parentSpanId: bigint;
  operationName: string;
  references?: DecodedRef[];
  flags: number;
  startTime: bigint;
  duration: bigint;
  tags?: DecodedTag[];
  logs?: DecodedLog[];
}
export interface DecodedBatch {
  process: { serviceName: string; tags?: DecodedTag[] };
  spans: DecodedSpan[];
}
export interface DecodedMessage { name: string; type: number; seqid: number; batch: DecodedBatch }

// ---- Apache thrift, TCompactProtocol, generic walk: field id → value ----

interface ThriftInt64 { buffer: Buffer; offset?: number }
interface ApacheProtocol {
  readMessageBegin(): { fname: string; mtype: number; rseqid: number };
  readStructBegin(): void;
  readStructEnd(): void;
  readFieldBegin(): { ftype: number; fid: number };
  readFieldEnd(): void;
  readListBegin(): { etype: number; size: number };
  readListEnd(): void;
  readBool(): boolean;
  readByte(): number;
  readI16(): number;
  readI32(): number;
  readI64(): ThriftInt64;
  readDouble(): number;
  readBinary(): Buffer;
}
interface ApacheTransport { inBuf: Buffer; readCursor: number; writeCursor: number }
interface ApacheThrift {
  TBufferedTransport: new () => ApacheTransport;
  TCompactProtocol: new (transport: ApacheTransport) => ApacheProtocol;
  toBigInt(value: ThriftInt64): bigint;
  Thrift: { Type: Record<string, number> };
}
const apache = require('thrift') as ApacheThrift;
const T = apache.Thrift.Type as { STOP: number; BOOL: number; BYTE: number; I16: number; I32: number; I64: number; DOUBLE: number; STRING: number; STRUCT: number; LIST: number };

type Walked = boolean | number | bigint | Buffer | Walked[] | WalkedStruct;
interface WalkedStruct { [fieldId: number]: Walked }

function readValue(protocol: ApacheProtocol, type: number): Walked {
  switch (type) {
    case T.BOOL: return protocol.readBool();
    case T.BYTE: return protocol.readByte();
    case T.I16: return protocol.readI16();
    case T.I32: return protocol.readI32();
    case T.I64: return apache.toBigInt(protocol.readI64());
    case T.DOUBLE: return protocol.readDouble();
    case T.STRING: return protocol.readBinary();
    case T.STRUCT: return readStruct(protocol);
    case T.LIST: {
      const { etype, size } = protocol.readListBegin();
      const items: Walked[] = [];
      for (let i = 0; i < size; i++) items.push(readValue(protocol, etype));
      protocol.readListEnd();
      return items;
    }
    default: throw new Error(`unexpected Thrift type ${type}`);
  }
}

function readStruct(protocol: ApacheProtocol): WalkedStruct {
  const fields: WalkedStruct = {};
  protocol.readStructBegin();
  for (;;) {
    const { ftype, fid } = protocol.readFieldBegin();
    if (ftype === T.STOP) break;
    if (fid in fields) throw new Error(`field ${fid} twice`);
    fields[fid] = readValue(protocol, ftype);
    protocol.readFieldEnd();
  }
  protocol.readStructEnd();
  return fields;
}

const text = (value: Walked | undefined): string => (value as Buffer).toString('utf8');
const list = (value: Walked | undefined): WalkedStruct[] | undefined => value as WalkedStruct[] | undefined;

function tagFrom(s: WalkedStruct): DecodedTag {
  const tag: DecodedTag = { key: text(s[1]), vType: s[2] as number };
  if (3 in s) tag.vStr = text(s[3]);
  if (4 in s) tag.vDouble = s[4] as number;
  if (5 in s) tag.vBool = s[5] as boolean;
  if (6 in s) tag.vLong = s[6] as bigint;
  if (7 in s) tag.vBinary = s[7] as Buffer;
  return tag;
}

function spanFrom(s: WalkedStruct): DecodedSpan {
  const span: DecodedSpan = {
    traceIdLow: s[1] as bigint,
    traceIdHigh: s[2] as bigint,
    spanId: s[3] as bigint,
    parentSpanId: s[4] as bigint,
    operationName: text(s[5]),
    flags: s[7] as number,
    startTime: s[8] as bigint,
    duration: s[9] as bigint,
  };
  if (6 in s) span.references = list(s[6])!.map((r) => ({ refType: r[1] as number, traceIdLow: r[2] as bigint, traceIdHigh: r[3] as bigint, spanId: r[4] as bigint }));
  if (10 in s) span.tags = list(s[10])!.map(tagFrom);
  if (11 in s) span.logs = list(s[11])!.map((l) => ({ timestamp: l[1] as bigint, fields: list(l[2])!.map(tagFrom) }));
  return span;
}

/** Decodes one compact-protocol `Agent.emitBatch` datagram; throws on any trailing or missing byte. */
export function decodeCompactEmitBatch(datagram: Buffer): DecodedMessage {
  const transport = new apache.TBufferedTransport();
  transport.inBuf = datagram;
  transport.readCursor = 0;
  transport.writeCursor = datagram.length;
  const protocol = new apache.TCompactProtocol(transport);
  const header = protocol.readMessageBegin();
  const args = readStruct(protocol);
  if (transport.readCursor !== datagram.length) throw new Error(`${datagram.length - transport.readCursor} bytes after the message`);
  const batch = args[1] as WalkedStruct;
  const process = batch[1] as WalkedStruct;
  return {
    name: header.fname,
    type: header.mtype,
    seqid: header.rseqid,
    batch: {
      process: { serviceName: text(process[1]), ...(2 in process ? { tags: list(process[2])!.map(tagFrom) } : {}) },
      spans: list(batch[2])!.map(spanFrom),
    },
  };
}

// ---- thriftrw with jaeger-client's IDL, binary protocol ----

interface RwResult<T> { err: Error | null; value: T; offset: number }
interface RwTag { key: string; vType: string; vStr: string | null; vDouble: number | null; vBool: boolean | null; vLong: Buffer | null; vBinary: Buffer | null }
interface RwSpan {
  traceIdLow: Buffer; traceIdHigh: Buffer; spanId: Buffer; parentSpanId: Buffer; operationName: string;
  references: { refType: string; traceIdLow: Buffer; traceIdHigh: Buffer; spanId: Buffer }[] | null;
  flags: number; startTime: Buffer; duration: Buffer; tags: RwTag[] | null;
  logs: { timestamp: Buffer; fields: RwTag[] }[] | null;
}
interface RwBatch { process: { serviceName: string; tags: RwTag[] | null }; spans: RwSpan[] }
interface RwMessage { id: number; name: string; type: string; body: { batch: RwBatch } }
interface RwThrift {
  Agent: { emitBatch: { argumentsMessageRW: { readFrom(buffer: Buffer, offset: number): RwResult<RwMessage> } } };
  modules: { jaeger: { Batch: { rw: { readFrom(buffer: Buffer, offset: number): RwResult<RwBatch> } } } };
}
const { Thrift } = require('thriftrw') as { Thrift: new (options: object) => RwThrift };

const jaegerClientDir = dirname(require.resolve('jaeger-client/package.json'));
/** The IDL jaeger-client ships: agent.thrift includes jaeger.thrift. */
export const AGENT_IDL = join(jaegerClientDir, 'dist/src/thriftrw-idl/agent.thrift');
const idl = new Thrift({ entryPoint: AGENT_IDL, allowFilesystemAccess: true, allowOptionalArguments: true });

const TAG_TYPES = ['STRING', 'DOUBLE', 'BOOL', 'LONG', 'BINARY'];
const REF_TYPES = ['CHILD_OF', 'FOLLOWS_FROM'];
const i64 = (value: Buffer): bigint => value.readBigInt64BE(0);

function rwTag(tag: RwTag): DecodedTag {
  const out: DecodedTag = { key: tag.key, vType: TAG_TYPES.indexOf(tag.vType) };
  if (tag.vStr !== null) out.vStr = tag.vStr;
  if (tag.vDouble !== null) out.vDouble = tag.vDouble;
  if (tag.vBool !== null) out.vBool = tag.vBool;
  if (tag.vLong !== null) out.vLong = i64(tag.vLong);
  if (tag.vBinary !== null) out.vBinary = tag.vBinary;
  return out;
}

function rwSpan(span: RwSpan): DecodedSpan {
  const out: DecodedSpan = {
    traceIdLow: i64(span.traceIdLow),
    traceIdHigh: i64(span.traceIdHigh),
    spanId: i64(span.spanId),
    parentSpanId: i64(span.parentSpanId),
    operationName: span.operationName,
    flags: span.flags,
    startTime: i64(span.startTime),
    duration: i64(span.duration),
  };
  if (span.references !== null) {
    out.references = span.references.map((r) => ({ refType: REF_TYPES.indexOf(r.refType), traceIdLow: i64(r.traceIdLow), traceIdHigh: i64(r.traceIdHigh), spanId: i64(r.spanId) }));
  }
  if (span.tags !== null) out.tags = span.tags.map(rwTag);
  if (span.logs !== null) out.logs = span.logs.map((l) => ({ timestamp: i64(l.timestamp), fields: l.fields.map(rwTag) }));
  return out;
}

function rwBatch(batch: RwBatch): DecodedBatch {
  return {
    process: { serviceName: batch.process.serviceName, ...(batch.process.tags !== null ? { tags: batch.process.tags.map(rwTag) } : {}) },
    spans: batch.spans.map(rwSpan),
  };
}

function checked<T>(result: RwResult<T>, length: number): T {
  if (result.err) throw result.err;
  if (result.offset !== length) throw new Error(`${length - result.offset} bytes after the struct`);
  return result.value;
}

const MESSAGE_TYPES: Record<string, number> = { CALL: 1, REPLY: 2, EXCEPTION: 3, ONEWAY: 4 };

/** Decodes one binary-protocol `Agent.emitBatch` datagram with thriftrw. */
export function decodeBinaryEmitBatch(datagram: Buffer): DecodedMessage {
  const message = checked(idl.Agent.emitBatch.argumentsMessageRW.readFrom(datagram, 0), datagram.length);
  return { name: message.name, type: MESSAGE_TYPES[message.type] ?? -1, seqid: message.id, batch: rwBatch(message.body.batch) };
}

/** Decodes a collector request body (a bare binary `Batch`) with thriftrw. */
export function decodeBinaryBatch(body: Buffer): DecodedBatch {
  return rwBatch(checked(idl.modules.jaeger.Batch.rw.readFrom(body, 0), body.length));
}

/** A decoded span's tag value (string, long, bool or double), or undefined. */
export function decodedTagOf(span: DecodedSpan, key: string): unknown {
  const tag = span.tags?.find((t) => t.key === key);
  return tag === undefined ? undefined : tag.vStr ?? tag.vLong ?? tag.vBool ?? tag.vDouble;
}
