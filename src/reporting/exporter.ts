import type { Span } from '../tracer/span.js';
import type { Logger } from '../tracer/types.js';

/** What every exporter knows about the process it reports for. */
export interface ExporterContext {
  serviceName: string;
  processTags: Readonly<Record<string, string | number | boolean>>;
  logger: Logger;
}

export interface ExportResult {
  /** Spans handed to the transport successfully (UDP send callback without error, HTTP 2xx). */
  sent: number;
  /** Spans that could not fit any packet or request on their own. */
  droppedTooLarge: number;
  /** Spans lost to transport errors (after any retries). */
  failed: number;
}

/**
 * Encodes and sends batches of finished spans. Called only by the reporter, off the caller's
 * stack. `export` never rejects and never throws; it resolves once the batch is sent or given up.
 */
export interface Exporter {
  export(spans: readonly Span[]): Promise<ExportResult>;
  /** Waits for sends in flight (bounded by the exporter's timeouts), then releases sockets. */
  shutdown(): Promise<void>;
  /** Called when the first span is queued: open what a later `exportSync` will need. */
  prepare?(): void;
  /**
   * Best effort, for a process about to end (an uncaught exception, `process.exit()`): hands the
   * spans over before returning, since no later turn of the event loop will come. Never throws.
   */
  exportSync?(spans: readonly Span[]): void;
}
