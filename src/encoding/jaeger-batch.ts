import type { FinishedSpan } from '../tracer/finished-span.js';
import { ThriftSink } from './thrift-sink.js';
import type { JaegerBatchFormat } from './jaeger-envelopes.js';

/** One datagram or request body, as head, spans and tail buffers: sent without concatenating. */
export interface EncodedBatch {
  readonly parts: Buffer[];
  readonly spanCount: number;
  readonly byteLength: number;
}

export interface PackedSpans {
  readonly batches: EncodedBatch[];
  /** Spans that cannot fit `maxBytes` even alone. */
  readonly droppedTooLarge: number;
  /** Spans the encoder failed on (a bug, never a user value): counted, not thrown. */
  readonly failed: number;
}

/**
 * Encodes each span once, back to back in one buffer, then cuts that run into batches of at most
 * `maxBytes` including head and tail. Batches reference slices of the shared buffer: no span is
 * copied after it is encoded.
 */
export function packSpans(format: JaegerBatchFormat, spans: readonly FinishedSpan[], maxBytes: number): PackedSpans {
  const sink = new ThriftSink(Math.min(spans.length * 256 + 256, 8 * 1024 * 1024));
  const ends: number[] = [];
  const alone = format.headLength(1) + format.tail.length;
  let droppedTooLarge = 0;
  let failed = 0;
  for (const span of spans) {
    const start = sink.off;
    try {
      format.writeSpan(sink, span);
    } catch {
      sink.off = start;
      failed++;
      continue;
    }
    if (alone + sink.off - start > maxBytes) {
      sink.off = start;
      droppedTooLarge++;
    } else {
      ends.push(sink.off);
    }
  }
  return { batches: cut(format, sink.buf, ends, maxBytes), droppedTooLarge, failed };
}

function cut(format: JaegerBatchFormat, encoded: Buffer, ends: readonly number[], maxBytes: number): EncodedBatch[] {
  const batches: EncodedBatch[] = [];
  const tail = format.tail;
  let start = 0;
  let end = 0;
  let count = 0;
  const close = (): void => {
    const head = format.head(count);
    batches.push({ parts: [head, encoded.subarray(start, end), tail], spanCount: count, byteLength: head.length + end - start + tail.length });
  };
  for (const spanEnd of ends) {
    if (count > 0 && format.headLength(count + 1) + spanEnd - start + tail.length > maxBytes) {
      close();
      start = end;
      count = 0;
    }
    end = spanEnd;
    count++;
  }
  if (count > 0) close();
  return batches;
}
