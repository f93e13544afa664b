// The server span of a node:http request for the explicit adapters, which work without the
// automatic instrumentation: start it (unless the request already has one), finish it with the
// response, and keep the request's and response's events in it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { spanStore } from '../tracer/active-context.js';
import type { Span } from '../tracer/span.js';
import type { ResolvedServerOptions } from './options.js';
import { finishAbortedServerSpan, finishServerSpan, serverSpanOf, startNodeServerSpan } from '../semantics/server-span.js';

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

/** Listeners of `emitter` run in `span` (they would run in the connection's context). */
function bindEmitter(emitter: { emit: Emit }, span: Span): void {
  const original = emitter.emit;
  if (typeof original !== 'function') return;
  Object.defineProperty(emitter, 'emit', {
    configurable: true,
    writable: true,
    value: function emit(this: unknown) {
      return spanStore.getStore() === span
        ? Reflect.apply(original, this, arguments) as boolean
        : spanStore.run(span, Reflect.apply, original, this, arguments) as boolean;
    },
  });
}

/**
 * The span to run the rest of the request in: a new server span, or the one the request already
 * has (from the automatic instrumentation or another adapter); null for an ignored path (run with
 * no active span); undefined when there is no tracer (run unchanged).
 */
export function traceNodeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: ResolvedServerOptions,
  component: string,
  /** Called just before a span started here finishes (to name it after the route). */
  beforeFinish?: (span: Span) => void,
): Span | null | undefined {
  const known = serverSpanOf(req);
  if (known !== undefined) return known;
  const tracer = options.tracer();
  if (tracer === null) return undefined;
  const span = startNodeServerSpan(tracer, req, options, component);
  if (span === null) return null;
  const settle = (): void => {
    if (!span.isRecording) return;
    try {
      beforeFinish?.(span);
    } catch (error) {
      // naming is best effort; the span still finishes
      options.fault(component, error);
    }
    if (res.writableFinished) finishServerSpan(span, res.statusCode);
    else finishAbortedServerSpan(span, res.headersSent ? res.statusCode : undefined);
  };
  res.once('finish', settle);
  res.once('close', settle);
  bindEmitter(req as unknown as { emit: Emit }, span);
  bindEmitter(res as unknown as { emit: Emit }, span);
  return span;
}

/** Runs `fn` in `span` (null: with none active), unless it already is the active one. */
export function runInSpan<T>(span: Span | null, fn: () => T): T {
  return spanStore.getStore() === span ? fn() : spanStore.run(span, fn);
}
