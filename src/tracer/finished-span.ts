// What encoders and exporters read of a finished span: a read-only record. `Span` and
// `SpanContext` satisfy these interfaces as they are; an encoder test builds a plain object.
import type { ReferenceType, SpanLog } from './types.js';

/** The ids and flags of a span, as int32 words (hex only on demand). */
export interface FinishedSpanIds {
  /** Four words, most significant first (a 64-bit trace id has two zero words in front). */
  readonly traceWords: readonly number[];
  readonly spanIdHi: number;
  readonly spanIdLo: number;
  /** Zero for a root span. */
  readonly parentIdHi: number;
  readonly parentIdLo: number;
  readonly flags: number;
  /** W3C `tracestate`, if the trace came with one. */
  readonly traceState: string | null;
  toTraceId(): string;
  toSpanId(): string;
}

export interface FinishedSpanReference {
  readonly type: ReferenceType;
  readonly context: FinishedSpanIds;
}

/** A finished, sampled span as encoders read it. */
export interface FinishedSpan {
  readonly operationName: string;
  /** Milliseconds since the epoch (fractional). */
  readonly startTime: number;
  /** Milliseconds. */
  readonly duration: number;
  /** Flat key/value pairs: [key0, value0, key1, value1, ...]; keys unique, values already bounded. */
  readonly tags: readonly unknown[];
  readonly logs: readonly SpanLog[] | null;
  /** References given explicitly at start (the primary parent is in the ids). */
  readonly references: readonly FinishedSpanReference[] | null;
  context(): FinishedSpanIds;
}
