import type { Span } from '../tracer/span.js';
import type { Logger, Reporter } from '../tracer/types.js';
import { FaultLog } from '../tracer/logger.js';
import type { Exporter, ExportResult } from './exporter.js';

export interface BatchingReporterOptions {
  /** Spans waiting beyond this are dropped and counted (default 10 000). */
  maxQueueSize?: number;
  /** A flush runs this often (default 1000 ms), on an unref'd timer. */
  flushIntervalMs?: number;
  /** Spans per `export` call; a queue this long is flushed at once instead of at the next tick (default 1000). */
  batchSize?: number;
  /** How long `flush()` and `close()` wait for sends (default 5000 ms); the exporter's shutdown then gets up to 2000 ms more. */
  closeTimeoutMs?: number;
  logger: Logger;
  /** Told of each outcome as it is counted (jaeger-client's reporter metrics). */
  metrics?: ReporterMetrics;
}

/** Spans handed over (`sent`), lost to transport errors (`failed`), or dropped (full queue, too large). */
export interface ReporterMetrics {
  spansSent(count: number): void;
  spansFailed(count: number): void;
  spansDropped(count: number): void;
}

/**
 * Counters of a batching reporter (merged into `tracer.stats()`). Before `close()`, every
 * finished sampled span is in exactly one of them.
 */
export type ReporterStats = {
  /** Spans the exporter handed over successfully (UDP send callback, HTTP 2xx). */
  reported: number;
  /** Spans dropped because the queue was full. */
  droppedQueueFull: number;
  /** Spans too large to fit any datagram or request on their own. */
  droppedTooLarge: number;
  /** Spans lost to transport errors, after retries. */
  sendFailures: number;
  /** Spans queued or being sent. */
  queued: number;
};

const SHUTDOWN_TIMEOUT_MS = 2000;

/** Resolves when `work` settles or after `ms`, whichever is first; the timer keeps the process up meanwhile. */
function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    work.then(done, done);
  });
}

/**
 * The span-finish path only pushes onto a bounded array; encoding and sending run later, in
 * batches, one export at a time, from an unref'd timer or a setImmediate once a batch's worth
 * is waiting. Never throws, never rejects.
 */
export class BatchingReporter implements Reporter {
  private queue: Span[] = [];
  /** `maxQueueSize`, or 0 once closed: the hot path tests one number. */
  private capacity: number;
  private readonly batchSize: number;
  private readonly closeTimeoutMs: number;
  private readonly faults: FaultLog;
  private readonly timer: NodeJS.Timeout;
  private soon: NodeJS.Immediate | null = null;
  private active: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private sending = 0;
  private reported = 0;
  private droppedQueueFull = 0;
  private droppedTooLarge = 0;
  private sendFailures = 0;
  private prepared = false;
  private readonly metrics: ReporterMetrics | null;

  constructor(private readonly exporter: Exporter, options: BatchingReporterOptions) {
    this.metrics = options.metrics ?? null;
    this.capacity = options.maxQueueSize ?? 10_000;
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? 1000, this.capacity));
    this.closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.faults = new FaultLog(options.logger);
    this.timer = setInterval(this.onTick, options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  report(span: Span): void {
    if (!this.prepared) this.prepare();
    const queue = this.queue;
    if (queue.length < this.capacity) {
      if (queue.push(span) === this.batchSize) this.flushSoon();
    } else if (this.closing === null) {
      this.droppedQueueFull++;
      this.metrics?.spansDropped(1);
    }
  }

  /** Sends every span queued so far; resolves once the exporter settles (at most `closeTimeoutMs`). */
  flush(): Promise<void> {
    return withDeadline(this.schedule(), this.closeTimeoutMs);
  }

  /** Flushes, waits for sends, then releases the exporter's sockets and the timers. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /**
   * What is queued, handed to the exporter before returning (for a process that is about to end:
   * no timer or promise will run again). Spans of an export already under way are not repeated.
   */
  flushSync(): void {
    const spans = this.queue;
    if (spans.length === 0 || this.exporter.exportSync === undefined) return;
    this.queue = [];
    try {
      this.exporter.exportSync(spans);
      this.reported += spans.length;
    } catch (error) {
      this.sendFailures += spans.length;
      this.faults.report('export', error);
    }
  }

  stats(): ReporterStats {
    return {
      reported: this.reported,
      droppedQueueFull: this.droppedQueueFull,
      droppedTooLarge: this.droppedTooLarge,
      sendFailures: this.sendFailures,
      queued: this.queue.length + this.sending,
    };
  }

  private prepare(): void {
    this.prepared = true;
    try {
      this.exporter.prepare?.();
    } catch (error) {
      this.faults.report('exporter prepare', error);
    }
  }

  private readonly onTick = (): void => {
    if (this.queue.length > 0) void this.schedule();
  };

  private readonly onSoon = (): void => {
    this.soon = null;
    void this.schedule();
  };

  private flushSoon(): void {
    this.soon ??= setImmediate(this.onSoon);
  }

  private async shutdown(): Promise<void> {
    this.capacity = 0;
    clearInterval(this.timer);
    if (this.soon !== null) clearImmediate(this.soon);
    this.soon = null;
    await withDeadline(this.schedule(), this.closeTimeoutMs);
    let stopped: Promise<void>;
    try {
      stopped = Promise.resolve(this.exporter.shutdown());
    } catch (error) {
      stopped = Promise.reject(error);
    }
    stopped.catch((error: unknown) => this.faults.report('exporter shutdown', error));
    await withDeadline(stopped, Math.min(SHUTDOWN_TIMEOUT_MS, this.closeTimeoutMs));
  }

  // One drain at a time; a caller arriving during a drain waits for the one after it (shared by
  // every such caller), which takes whatever was queued by then.
  private schedule(): Promise<void> {
    if (this.next !== null) return this.next;
    if (this.active === null) return (this.active = this.drain());
    this.next = this.active.then(() => {
      this.next = null;
      return (this.active = this.drain());
    });
    return this.next;
  }

  // Sends the spans queued when the drain starts, a batch at a time, taking each batch off the
  // front of the queue only when it is sent: at most maxQueueSize + batchSize spans are ever held.
  private async drain(): Promise<void> {
    await null; // encode and send after the caller's stack has unwound
    let remaining = this.queue.length;
    try {
      while (remaining > 0) {
        const take = Math.min(remaining, this.batchSize);
        const batch = take === this.queue.length ? this.queue : this.queue.splice(0, take);
        if (batch === this.queue) this.queue = [];
        remaining -= take;
        this.sending = take;
        this.count(take, await this.exportSafely(batch));
        this.sending = 0;
      }
    } finally {
      this.sending = 0;
      this.active = null;
    }
    // A batch's worth arrived while sending: go on without waiting for the next tick.
    if (this.queue.length >= this.batchSize && this.capacity > 0) this.flushSoon();
  }

  private async exportSafely(batch: readonly Span[]): Promise<ExportResult | null> {
    try {
      return await this.exporter.export(batch);
    } catch (error) {
      this.faults.report('export', error);
      return null;
    }
  }

  private count(batchLength: number, result: ExportResult | null): void {
    const sent = result === null ? 0 : result.sent;
    const tooLarge = result === null ? 0 : result.droppedTooLarge;
    const failed = result === null ? batchLength : result.failed;
    this.reported += sent;
    this.droppedTooLarge += tooLarge;
    this.sendFailures += failed;
    if (this.metrics === null) return;
    try {
      if (sent > 0) this.metrics.spansSent(sent);
      if (failed > 0) this.metrics.spansFailed(failed);
      if (tooLarge > 0) this.metrics.spansDropped(tooLarge);
    } catch (error) {
      this.faults.report('metrics', error);
    }
  }
}
