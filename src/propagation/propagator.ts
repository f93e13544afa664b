import type { SpanContext } from '../tracer/span-context.js';
import type { BaggageBuilder } from './baggage.js';
import type { TraceHeaders } from './carrier.js';

/** One wire format (an `OTEL_PROPAGATORS` name). Pure and stateless; never throws on bad input. */
export interface Propagator {
  /** Lowercase header names this format always owns: stale copies are removed on inject. */
  readonly fields: readonly string[];
  /** The remote context in `headers`, or null when absent or malformed. */
  extractContext?(headers: TraceHeaders): SpanContext | null;
  /** Adds the baggage this format carries in `headers`; `http` is false for FORMAT_TEXT_MAP. */
  extractBaggage?(headers: TraceHeaders, baggage: BaggageBuilder, http: boolean): void;
  /** Appends the headers for `context` to `writes` as [name, value, ...]. */
  inject(context: SpanContext, writes: string[], http: boolean): void;
}
