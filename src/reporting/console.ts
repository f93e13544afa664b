import type { Span } from '../tracer/span.js';
import type { Exporter, ExporterContext, ExportResult } from './exporter.js';
import { formatTraces } from './console-tree.js';

export type WriteText = (text: string) => void;

const toStderr: WriteText = (text) => {
  process.stderr.write(text);
};

/**
 * For local development: prints each flushed batch to stderr as one tree per trace, with
 * durations and proportional bars. Spans of a trace that finish in different flushes are printed
 * with the flush they belong to.
 */
export class ConsoleExporter implements Exporter {
  private readonly serviceName: string;
  private readonly write: WriteText;

  constructor(context: Pick<ExporterContext, 'serviceName'>, write: WriteText = toStderr) {
    this.serviceName = context.serviceName;
    this.write = write;
  }

  export(spans: readonly Span[]): Promise<ExportResult> {
    try {
      const text = formatTraces(spans, this.serviceName);
      if (text !== '') this.write(text);
      return Promise.resolve({ sent: spans.length, droppedTooLarge: 0, failed: 0 });
    } catch {
      return Promise.resolve({ sent: 0, droppedTooLarge: 0, failed: spans.length });
    }
  }

  exportSync(spans: readonly Span[]): void {
    // stderr is written synchronously for files, pipes and terminals alike (on Linux and macOS).
    void this.export(spans);
  }

  async shutdown(): Promise<void> {}
}
