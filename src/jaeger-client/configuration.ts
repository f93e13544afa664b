import { initTracer, initTracerFromEnv } from '../config/init.js';
import type { TracerOptions, TracingConfig } from '../config/options.js';
import type { Tracer } from '../tracer/tracer.js';

/** jaeger-client's `Configuration.initTracer(config, options)` (and `initTracerFromEnv`). */
export class Configuration {
  static initTracer(config: TracingConfig, options?: TracerOptions): Tracer {
    return initTracer(config, options);
  }

  static initTracerFromEnv(config?: TracingConfig, options?: TracerOptions): Tracer {
    return initTracerFromEnv(config, options);
  }
}
