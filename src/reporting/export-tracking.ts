// Bookkeeping the UDP and HTTP exporters share: what an export returns when nothing went out,
// how packed batches add up, and which exports are still under way when shutdown comes.
import type { Span } from '../tracer/span.js';
import type { FaultLog } from '../tracer/logger.js';
import type { EncodedBatch, PackedSpans } from '../encoding/jaeger-batch.js';
import type { ExportResult } from './exporter.js';

export function nothingSent(failed: number): ExportResult {
  return { sent: 0, droppedTooLarge: 0, failed };
}

/** Sends packed batches one after another; a batch's spans count as sent or failed together. */
export async function sendBatches(packed: PackedSpans, send: (batch: EncodedBatch) => Promise<boolean>): Promise<ExportResult> {
  let sent = 0;
  let failed = packed.failed;
  for (const batch of packed.batches) {
    if (await send(batch)) sent += batch.spanCount;
    else failed += batch.spanCount;
  }
  return { sent, droppedTooLarge: packed.droppedTooLarge, failed };
}

/**
 * An exporter's exports under way. Once closed it refuses new ones (all their spans failed); an
 * export that rejects counts all its spans as failed and is logged once under `label`.
 */
export class ExportTracker {
  private readonly pending = new Set<Promise<ExportResult>>();
  private isClosed = false;

  constructor(private readonly faults: FaultLog, private readonly label: string) {}

  get closed(): boolean {
    return this.isClosed;
  }

  run(spans: readonly Span[], send: (spans: readonly Span[]) => Promise<ExportResult>): Promise<ExportResult> {
    if (this.isClosed) return Promise.resolve(nothingSent(spans.length));
    if (spans.length === 0) return Promise.resolve(nothingSent(0));
    let sending: Promise<ExportResult>;
    try {
      sending = send(spans);
    } catch (error) {
      sending = Promise.reject(error);
    }
    const work = sending.catch((error: unknown) => {
      this.faults.report(`${this.label} export`, error);
      return nothingSent(spans.length);
    });
    this.pending.add(work);
    void work.then(() => this.pending.delete(work));
    return work;
  }

  /** Refuses new exports, then resolves when those under way have settled, or after `waitMs`. */
  async close(waitMs: number): Promise<void> {
    this.isClosed = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.pending]), deadline]);
    clearTimeout(timer);
  }
}
