// A stand-in Jaeger agent for the benchmarks: a UDP socket on the loopback address that counts
// the spans in the compact-Thrift `emitBatch` datagrams it receives (without decoding them).
import dgram from 'node:dgram';

/** Counts spans in compact-Thrift emitBatch datagrams by walking just far enough to read the list size. */
export function countSpans(datagram: Buffer): number {
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = datagram[offset++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const skip = (type: number): void => {
    switch (type) {
      case 1: case 2: return;
      case 3: offset++; return;
      case 4: case 5: case 6: varint(); return;
      case 7: offset += 8; return;
      case 8: {
        const length = varint(); // read before `offset +=` takes offset's old value
        offset += length;
        return;
      }
      case 9: case 10: {
        const header = datagram[offset++]!;
        const size = (header >> 4) === 15 ? varint() : header >> 4;
        for (let i = 0; i < size; i++) skip(header & 0x0f);
        return;
      }
      case 12: skipStruct(); return;
      default: throw new Error(`compact type ${type}`);
    }
  };
  const skipStruct = (): void => {
    for (;;) {
      const header = datagram[offset++]!;
      if (header === 0) return;
      if ((header >> 4) === 0) varint(); // long-form field id
      skip(header & 0x0f);
    }
  };
  offset = 2; // protocol id, version/type
  varint(); // seqid
  const nameLength = varint();
  offset += nameLength; // method name
  // emitBatch args: field 1 = Batch struct; Batch: field 1 Process (skipped), field 2 list<Span>
  offset++; // field header of Batch
  for (;;) {
    const header = datagram[offset++]!;
    if (header === 0) return 0;
    if ((header & 0x0f) === 9 && (header >> 4) === 1) {
      const list = datagram[offset++]!;
      return (list >> 4) === 15 ? varint() : list >> 4;
    }
    skip(header & 0x0f);
  }
}

export interface SpanSink {
  readonly port: number;
  /** Spans received so far. */
  readonly spans: number;
  close(): void;
}

export async function startSpanSink(): Promise<SpanSink> {
  let spans = 0;
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  socket.on('message', (datagram) => {
    spans += countSpans(datagram);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  return {
    port,
    get spans() {
      return spans;
    },
    close: () => socket.close(),
  };
}
