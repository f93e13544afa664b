import * as opentracing from 'opentracing';
import { Tracer } from './tracer.js';

// Shared by the ESM and CommonJS builds, like the active-span store.
const KEY = Symbol.for('opentracing-async-instrumentation.globalTracer');
type Holder = { [KEY]?: Tracer };
const holder = globalThis as Holder;

let noop: Tracer | undefined;

/** A disabled tracer: spans record nothing and propagate nothing; flush and close resolve at once. */
function noopTracer(): Tracer {
  return (noop ??= new Tracer({
    serviceName: 'untraced',
    disabled: true,
    sampler: { isSampled: () => ({ sampled: false, tags: [] }) },
    reporter: { report() {}, flush: async () => {}, close: async () => {} },
    propagation: { inject() {}, extract: () => null },
  }));
}

/** Makes `tracer` the process-wide tracer, here and in the `opentracing` package. */
export function setGlobalTracer(tracer: Tracer): void {
  holder[KEY] = tracer;
  opentracing.initGlobalTracer(tracer);
}

/**
 * The tracer set by `initTracer`/`initTracerFromEnv` (or the `register` preload). Always safe to
 * call: before one is set up, a disabled no-op tracer (its `disabled` is true; spans record
 * nothing, `startActiveSpan` still runs the function, `close()` resolves). Unlike
 * `opentracing.globalTracer()`, it has `startActiveSpan`, `activeSpan` and `withSpan`.
 */
export function globalTracer(): Tracer {
  return holder[KEY] ?? noopTracer();
}
