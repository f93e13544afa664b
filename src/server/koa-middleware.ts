import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '../tracer/span.js';
import { resolveServerOptions } from './options.js';
import type { ServerTracingOptions } from './options.js';
import { runInSpan, traceNodeRequest } from './node-request.js';
import { nameKoaRoute } from '../semantics/route-names.js';
import { recordServerError } from '../semantics/server-span.js';

/** The parts of a Koa context the adapter reads. */
export interface KoaContextLike {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method?: string;
}

/**
 * Koa middleware (2 and 3) that traces each request: `app.use(koaMiddleware())`, first. The
 * rest of the chain runs with the server span active; a thrown error is recorded and rethrown.
 */
export function koaMiddleware(options?: ServerTracingOptions): (context: KoaContextLike, next: () => Promise<unknown>) => Promise<unknown> {
  const resolved = resolveServerOptions(options);
  return function tracingMiddleware(context, next) {
    let span: Span | null | undefined;
    try {
      span = traceNodeRequest(context.req, context.res, resolved, 'koa');
    } catch (error) {
      resolved.fault('koa', error);
      span = undefined;
    }
    if (span === undefined) return next();
    const result = runInSpan(span, next);
    if (span === null) return result;
    const traced = span;
    return result.then(
      (value) => {
        nameKoaRoute(context, traced);
        return value;
      },
      (error: unknown) => {
        nameKoaRoute(context, traced);
        recordServerError(traced, error);
        throw error;
      },
    );
  };
}
