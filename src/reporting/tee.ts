import type { Span } from '../tracer/span.js';
import type { Exporter, ExportResult } from './exporter.js';

/**
 * Sends every batch to a primary exporter and also to a secondary one (the console, for
 * `logSpans`). The result, and so the reporter's counters, are the primary's.
 */
export class TeeExporter implements Exporter {
  constructor(private readonly primary: Exporter, private readonly secondary: Exporter) {}

  async export(spans: readonly Span[]): Promise<ExportResult> {
    const [result] = await Promise.all([this.primary.export(spans), this.secondary.export(spans).catch(() => null)]);
    return result;
  }

  prepare(): void {
    this.primary.prepare?.();
    this.secondary.prepare?.();
  }

  exportSync(spans: readonly Span[]): void {
    this.primary.exportSync?.(spans);
    this.secondary.exportSync?.(spans);
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.primary.shutdown(), this.secondary.shutdown().catch(() => undefined)]);
  }
}
