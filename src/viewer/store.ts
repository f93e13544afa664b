// The bounded trace store: spans grouped by trace, in arrival order of each trace's first span.
// When the span count or the byte estimate passes its limit, whole traces are evicted, oldest
// first. Spans of one trace arriving in several batches (or from several services) are merged;
// a span sent twice is kept once.
import type { ViewerSpan } from './model.js';
import { spanBytes } from './model.js';

export interface StoredTrace {
  readonly traceID: string;
  readonly spans: ViewerSpan[];
  readonly spanIds: Set<string>;
  bytes: number;
  /** Microseconds: the earliest start and the latest end of its spans. */
  start: number;
  end: number;
}

export interface StoreLimits {
  maxSpans: number;
  maxBytes: number;
}

export class TraceStore {
  private readonly traces = new Map<string, StoredTrace>();
  spanCount = 0;
  bytes = 0;
  evictedTraces = 0;
  duplicateSpans = 0;

  constructor(readonly limits: StoreLimits) {}

  /** Adds spans; returns how many were new. */
  add(spans: readonly ViewerSpan[]): number {
    let added = 0;
    for (const span of spans) {
      let trace = this.traces.get(span.traceID);
      if (trace === undefined) {
        trace = { traceID: span.traceID, spans: [], spanIds: new Set(), bytes: 0, start: span.startTime, end: span.startTime + span.duration };
        this.traces.set(span.traceID, trace);
      } else if (trace.spanIds.has(span.spanID)) {
        this.duplicateSpans++;
        continue;
      }
      const bytes = spanBytes(span);
      trace.spans.push(span);
      trace.spanIds.add(span.spanID);
      trace.bytes += bytes;
      if (span.startTime < trace.start) trace.start = span.startTime;
      if (span.startTime + span.duration > trace.end) trace.end = span.startTime + span.duration;
      this.spanCount++;
      this.bytes += bytes;
      added++;
    }
    this.evict();
    return added;
  }

  private evict(): void {
    const { maxSpans, maxBytes } = this.limits;
    if (this.spanCount <= maxSpans && this.bytes <= maxBytes) return;
    for (const [traceID, trace] of this.traces) {
      if (this.spanCount <= maxSpans && this.bytes <= maxBytes) break;
      this.traces.delete(traceID);
      this.spanCount -= trace.spans.length;
      this.bytes -= trace.bytes;
      this.evictedTraces++;
    }
  }

  get(traceID: string): StoredTrace | undefined {
    return this.traces.get(traceID);
  }

  get traceCount(): number {
    return this.traces.size;
  }

  /** Traces, newest first. */
  *newestFirst(): Generator<StoredTrace> {
    const all = [...this.traces.values()];
    for (let i = all.length - 1; i >= 0; i--) yield all[i]!;
  }

  all(): IterableIterator<StoredTrace> {
    return this.traces.values();
  }
}
