import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '../tracer/span.js';
import { resolveServerOptions } from './options.js';
import type { ServerTracingOptions } from './options.js';
import { runInSpan, traceNodeRequest } from './node-request.js';
import { recordServerError, setServerRoute } from './server-span.js';

/** The parts of a Koa context the adapter reads. */
export interface KoaContextLike {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method?: string;
}

/** The route template a Koa router (@koa/router, koa-router) left on the context, if any. */
export function koaRoute(context: object): string | undefined {
  const route = (context as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof route === 'string') return route;
  return route instanceof RegExp ? String(route) : undefined;
}

export function nameKoaRoute(context: { readonly method?: string }, span: Span): void {
  const route = koaRoute(context);
  if (route !== undefined) setServerRoute(span, typeof context.method === 'string' ? context.method : 'GET', route, 'koa');
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
    } catch {
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
