import { initTracer } from '../config/init.js';
import type { TracerOptions, TracingConfig } from '../config/options.js';
import { InMemoryReporter } from '../reporting/memory.js';
import type { Tracer } from '../tracer/tracer.js';
import { toRecord } from './records.js';
import type { SpanRecord } from './records.js';

export type { SpanRecord } from './records.js';

export interface TestTracer {
  tracer: Tracer;
  /** Every finished span so far, oldest first, as plain records. */
  finishedSpans(): SpanRecord[];
  /** Forgets the spans recorded so far. */
  reset(): void;
}

/**
 * A tracer that samples everything (unless `config.sampler` says otherwise) and keeps finished spans in memory, for tests of code that
 * uses this library. Not registered as the global tracer unless `config.global` is true.
 */
export function createTestTracer(config: TracingConfig = {}, options: TracerOptions = {}): TestTracer {
  const reporter = new InMemoryReporter();
  const tracer = initTracer(
    { serviceName: 'test', global: false, sampler: { type: 'const', param: 1 }, ...config },
    { ...options, reporter },
  );
  return {
    tracer,
    finishedSpans: () => reporter.finishedSpans().map(toRecord),
    reset: () => reporter.clear(),
  };
}
