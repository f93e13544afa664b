import type { Propagation } from '../tracer/tracer.js';
import type { SpanContext } from '../tracer/span-context.js';
import type { PropagatorName } from '../config/options.js';

// PLACEHOLDER: replaced by the propagation work (jaeger, tracecontext, baggage, b3, b3multi).
export function createPropagation(_names: readonly PropagatorName[]): Propagation {
  return {
    inject(_context: SpanContext, _format: string, _carrier: unknown): void {},
    extract(): SpanContext | null {
      return null;
    },
  };
}
