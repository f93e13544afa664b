import * as opentracing from 'opentracing';
import type { Tracer } from './tracer.js';

// Shared by the ESM and CommonJS builds, like the active-span store.
const KEY = Symbol.for('opentracing-async-instrumentation.globalTracer');
type Holder = { [KEY]?: Tracer };
const holder = globalThis as Holder;

/** Makes `tracer` the process-wide tracer, here and in the `opentracing` package. */
export function setGlobalTracer(tracer: Tracer): void {
  holder[KEY] = tracer;
  opentracing.initGlobalTracer(tracer);
}

/**
 * The tracer set by `initTracer`/`initTracerFromEnv`, or null before one is. Unlike
 * `opentracing.globalTracer()`, this one has `startActiveSpan`, `activeSpan` and `withSpan`.
 */
export function globalTracer(): Tracer | null {
  return holder[KEY] ?? null;
}
