// Preload entry: `node --import opentracing-async-instrumentation/register app.mjs` or
// `node -r opentracing-async-instrumentation/register app.js`. Configured by JAEGER_* / OTEL_*
// environment variables; never throws into the app it preloads.
import * as workerThreads from 'node:worker_threads';
import { initTracerFromEnv } from './config/init.js';
import { flushOnExit } from './reporting/flush-on-exit.js';
import { installAllPatches } from './plugins/install.js';
import { defaultLogger } from './tracer/logger.js';

// Shared by our ESM and CommonJS builds: preloading both (`-r` and `--import`) starts one tracer.
const KEY = Symbol.for('opentracing-async-instrumentation.registered');
const holder = globalThis as { [KEY]?: true };

// Node 20 also runs `-r` preloads in its internal module-hooks thread, which must be left alone;
// where Node can tell that thread apart (22.14+), other worker threads are traced too.
const internalThread = (workerThreads as { isInternalThread?: boolean }).isInternalThread;
const tracedThread = internalThread === undefined ? workerThreads.isMainThread : !internalThread;

if (tracedThread && holder[KEY] !== true) {
  holder[KEY] = true;
  try {
    const tracer = initTracerFromEnv();
    installAllPatches();
    flushOnExit(tracer);
  } catch (error) {
    defaultLogger.error(`register: tracing is off: ${error instanceof Error ? error.message : String(error)}`);
  }
}
