// What surrounds the encoded spans of one batch: `Agent.emitBatch` oneway messages for the UDP
// agent (compact or binary) and a bare `Batch` struct for the collector's HTTP endpoint. The
// Process struct is encoded once, when the format is made.
import type { FinishedSpan } from '../tracer/finished-span.js';
import type { ThriftSink } from './thrift-sink.js';
import { COMPACT_LIST, COMPACT_PROTOCOL_ID, COMPACT_STRUCT, COMPACT_VERSION, fieldHeader, listHeaderLength, writeListHeader } from './thrift-compact.js';
import { BINARY_LIST, BINARY_STRUCT, BINARY_VERSION_1, writeFieldHeader, writeI32 } from './thrift-binary.js';
import { encodeCompactProcess, writeCompactSpan } from './jaeger-compact.js';
import { encodeBinaryProcess, writeBinarySpan } from './jaeger-binary.js';

/** How to frame a list of encoded jaeger.thrift spans for one transport. */
export interface JaegerBatchFormat {
  /** Appends one encoded `Span` struct to the sink. */
  writeSpan(sink: ThriftSink, span: FinishedSpan): void;
  /** The bytes before the spans of a batch of `count` spans. */
  head(count: number): Buffer;
  headLength(count: number): number;
  /** The bytes after the spans. */
  readonly tail: Buffer;
}

const MESSAGE_ONEWAY = 4;
const EMIT_BATCH = Buffer.from('emitBatch', 'ascii');

function compactAgentPrefix(process: Buffer): Buffer {
  const struct = fieldHeader(1, COMPACT_STRUCT);
  return Buffer.concat([
    Buffer.from([COMPACT_PROTOCOL_ID, (MESSAGE_ONEWAY << 5) | COMPACT_VERSION, 0, EMIT_BATCH.length]),
    EMIT_BATCH,
    Buffer.from([struct, struct]), // emitBatch arg 1 `batch`, then Batch field 1 `process`
    process,
    Buffer.from([fieldHeader(1, COMPACT_LIST)]), // Batch field 2 `spans`
  ]);
}

/** `Agent.emitBatch` as a compact-protocol oneway message (jaeger-agent UDP port 6831). */
export function compactAgentFormat(serviceName: string, processTags: Readonly<Record<string, unknown>>): JaegerBatchFormat {
  const prefix = compactAgentPrefix(encodeCompactProcess(serviceName, processTags));
  return {
    writeSpan: writeCompactSpan,
    headLength: (count) => prefix.length + listHeaderLength(count),
    head(count) {
      const head = Buffer.allocUnsafe(prefix.length + listHeaderLength(count));
      prefix.copy(head, 0);
      writeListHeader(head, prefix.length, COMPACT_STRUCT, count);
      return head;
    },
    tail: Buffer.from([0, 0]), // stops of Batch and of the arguments struct
  };
}

/** Binary-protocol bytes of a `Batch` up to its spans' list size: the fields before the spans. */
function binaryBatchPrefix(process: Buffer): Buffer {
  const before = Buffer.allocUnsafe(3);
  writeFieldHeader(before, 0, BINARY_STRUCT, 1);
  const after = Buffer.allocUnsafe(4);
  writeFieldHeader(after, 0, BINARY_LIST, 2);
  after[3] = BINARY_STRUCT;
  return Buffer.concat([before, process, after]);
}

function binaryFormat(prefix: Buffer, tail: Buffer): JaegerBatchFormat {
  return {
    writeSpan: writeBinarySpan,
    headLength: () => prefix.length + 4,
    head(count) {
      const head = Buffer.allocUnsafe(prefix.length + 4);
      prefix.copy(head, 0);
      writeI32(head, prefix.length, count);
      return head;
    },
    tail,
  };
}

/** `Agent.emitBatch` as a binary-protocol oneway message (jaeger-agent UDP port 6832). */
export function binaryAgentFormat(serviceName: string, processTags: Readonly<Record<string, unknown>>): JaegerBatchFormat {
  const message = Buffer.allocUnsafe(12 + EMIT_BATCH.length + 3);
  let off = writeI32(message, 0, BINARY_VERSION_1 | MESSAGE_ONEWAY);
  off = writeI32(message, off, EMIT_BATCH.length);
  off += EMIT_BATCH.copy(message, off);
  off = writeI32(message, off, 0); // sequence id
  writeFieldHeader(message, off, BINARY_STRUCT, 1); // emitBatch arg 1 `batch`
  const prefix = Buffer.concat([message, binaryBatchPrefix(encodeBinaryProcess(serviceName, processTags))]);
  return binaryFormat(prefix, Buffer.from([0, 0]));
}

/** A bare binary-protocol `Batch` struct: the body the collector accepts as application/x-thrift. */
export function collectorBatchFormat(serviceName: string, processTags: Readonly<Record<string, unknown>>): JaegerBatchFormat {
  return binaryFormat(binaryBatchPrefix(encodeBinaryProcess(serviceName, processTags)), Buffer.from([0]));
}
