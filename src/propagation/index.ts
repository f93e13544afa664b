import type { PropagatorName } from '../config/options.js';
import type { Propagation } from '../tracer/tracer.js';
import { CompositePropagation } from './composite.js';

/**
 * The propagation for a list of `OTEL_PROPAGATORS` names: `jaeger`, `tracecontext`, `baggage`,
 * `b3` (single header) and `b3multi`. Extract tries them in that order; inject writes all of them.
 */
export function createPropagation(names: readonly PropagatorName[]): Propagation {
  return new CompositePropagation(names);
}
