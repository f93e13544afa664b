import type { Span } from './span.js';
import type { SpanContext } from './span-context.js';

/** A value a tag or log field may hold; others are stringified by the exporters. */
export type TagValue = string | number | boolean | Uint8Array | null | undefined | object;

export interface SpanLog {
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

export type ReferenceType = 'child_of' | 'follows_from';

export interface SpanReference {
  readonly type: ReferenceType;
  readonly context: SpanContext;
}

/** Receives every finished, sampled span. `report` must never throw and never block. */
export interface Reporter {
  report(span: Span): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Counters a reporter keeps (queue drops, send failures...). */
  stats?(): Readonly<Record<string, number>>;
  /** Hands what is queued to the exporter synchronously, when the process is about to end. */
  flushSync?(): void;
}

export interface SamplingDecision {
  readonly sampled: boolean;
  /** Tags the root span records (`sampler.type`, `sampler.param`); shared, never mutated. */
  readonly tags: readonly (string | number | boolean)[];
}

/** Decides for root spans only; children follow their parent. */
export interface Sampler {
  isSampled(operationName: string, traceWords: readonly number[]): SamplingDecision;
  close?(): void;
}

/**
 * Counts a tracer reports as it works, for jaeger-client's `options.metrics` (the names and
 * labels are chosen by the adapter). Absent on most tracers: each call site tests for null first.
 */
export interface TracerMetrics {
  /** `newTrace`: a root span; `joinedTrace`: a server span continuing a remote trace. */
  spanStarted(sampled: boolean, newTrace: boolean, joinedTrace: boolean): void;
  spanFinished(): void;
  /** A `jaeger-debug-id` that the debug token bucket refused. */
  debugThrottled(): void;
  baggageUpdated(): void;
}

/** A token bucket: true when one more unit may be spent now. */
export interface Limiter {
  trySpend(): boolean;
}

/** Where instrumentation reports its own faults; never the app's console by surprise. */
export interface Logger {
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

/** Limits that keep one span from holding unbounded memory. */
export interface SpanLimits {
  readonly maxTagValueLength: number;
  readonly maxTags: number;
  readonly maxLogs: number;
  readonly maxOperationNameLength: number;
}

export const DEFAULT_SPAN_LIMITS: SpanLimits = Object.freeze({
  maxTagValueLength: 4096,
  maxTags: 128,
  maxLogs: 128,
  maxOperationNameLength: 256,
});
