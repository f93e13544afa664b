// Preload entry: `node --import opentracing-async-instrumentation/register app.mjs` or
// `node -r opentracing-async-instrumentation/register app.js`. Configured by JAEGER_* / OTEL_*
// environment variables; never throws into the app it preloads.
import { initTracerFromEnv } from './config/init.js';
import { flushOnExit } from './hooks/process-exit.js';
import { installAllPatches } from './plugins/install.js';
import { defaultLogger } from './tracer/logger.js';

// Shared by our ESM and CommonJS builds: preloading both (`-r` and `--import`) starts one tracer.
const KEY = Symbol.for('opentracing-async-instrumentation.registered');
const holder = globalThis as { [KEY]?: true };

if (holder[KEY] !== true) {
  holder[KEY] = true;
  try {
    const tracer = initTracerFromEnv();
    installAllPatches();
    flushOnExit(tracer);
  } catch (error) {
    defaultLogger.error(`register: tracing is off: ${error instanceof Error ? error.message : String(error)}`);
  }
}
