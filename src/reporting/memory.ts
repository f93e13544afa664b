import type { Span } from '../tracer/span.js';
import type { Reporter } from '../tracer/types.js';

/** Keeps finished spans in memory, in finish order (bounded: the oldest are dropped). */
export class InMemoryReporter implements Reporter {
  private spans: Span[] = [];
  private dropped = 0;

  constructor(private readonly maxSpans = 100_000) {}

  report(span: Span): void {
    if (this.spans.length >= this.maxSpans) {
      this.spans.shift();
      this.dropped++;
    }
    this.spans.push(span);
  }

  finishedSpans(): readonly Span[] {
    return this.spans;
  }

  clear(): void {
    this.spans = [];
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}

  stats(): Record<string, number> {
    return { reported: this.spans.length, droppedOldest: this.dropped };
  }
}
