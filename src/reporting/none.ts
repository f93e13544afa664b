import type { Reporter } from '../tracer/types.js';

/** Exporter `none` (and disabled tracers): finished spans are dropped silently; no queue, no timer. */
export class NoneReporter implements Reporter {
  report(): void {}

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
