import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '../tracer/span.js';
import { resolveServerOptions } from './options.js';
import type { ServerTracingOptions } from './options.js';
import { runInSpan, traceNodeRequest } from './node-request.js';
import { recordServerError, serverSpanOf, setServerRoute } from './server-span.js';

/** The parts of a Fastify request the adapter reads (Fastify 4 and 5). */
export interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  readonly method: string;
  readonly routeOptions?: { readonly url?: string };
}
interface FastifyReplyLike {
  readonly raw: ServerResponse;
}
type Done = (error?: Error) => void;
interface FastifyLike {
  addHook(name: 'onRequest' | 'preHandler', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void): unknown;
  addHook(name: 'onError', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, error: unknown, done: Done) => void): unknown;
}

/** Names the request's server span after its route template. */
export function nameFastifyRoute(request: { readonly raw: object; readonly method: string }, url: string | undefined): void {
  const span = serverSpanOf(request.raw);
  if (span != null && url !== undefined) setServerRoute(span, request.method, url, 'fastify');
}

export function recordFastifyError(request: { readonly raw: object }, error: unknown): void {
  const span = serverSpanOf(request.raw);
  if (span != null) recordServerError(span, error);
}

/**
 * Fastify plugin (4 and 5) that traces each request: `fastify.register(fastifyPlugin)`, or
 * `fastify.register(fastifyPlugin, { tracer, ignorePaths, callerNameHeaders })`. It applies to the
 * whole instance. Route handlers run with the server span active (also after body parsing); errors
 * reaching `onError` are recorded.
 */
export function fastifyPlugin(instance: FastifyLike, options: ServerTracingOptions | undefined, done: Done): void {
  const resolved = resolveServerOptions({ tracer: options?.tracer, ignorePaths: options?.ignorePaths, callerNameHeaders: options?.callerNameHeaders });
  instance.addHook('onRequest', (request, reply, next) => {
    let span: Span | null | undefined;
    try {
      span = traceNodeRequest(request.raw, reply.raw, resolved, 'fastify');
      if (span !== undefined) nameFastifyRoute(request, request.routeOptions?.url);
    } catch {
      span = undefined;
    }
    if (span === undefined) next();
    else runInSpan(span, next);
  });
  // Body parsing finishes in the connection's context: enter the span again for the handler.
  instance.addHook('preHandler', (request, _reply, next) => {
    const span = serverSpanOf(request.raw);
    if (span === undefined) next();
    else runInSpan(span, next);
  });
  instance.addHook('onError', (request, _reply, error, next) => {
    try {
      recordFastifyError(request, error);
    } catch {
      // recording is best effort
    }
    next();
  });
  done();
}

// Like fastify-plugin does: no encapsulation (the hooks apply to the whole instance), and a name.
Object.assign(fastifyPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'opentracing-async-instrumentation',
  [Symbol.for('plugin-meta')]: { name: 'opentracing-async-instrumentation' },
});
