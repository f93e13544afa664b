import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '../tracer/span.js';
import { resolveServerOptions } from './options.js';
import type { ServerTracingOptions } from './options.js';
import { runInSpan, traceNodeRequest } from './node-request.js';
import { nameFastifyRoute, recordFastifyError } from '../semantics/route-names.js';
import { serverSpanOf } from '../semantics/server-span.js';

/** The parts of a Fastify request the adapter reads (Fastify 4 and 5). */
interface FastifyRequestLike {
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
    } catch (error) {
      resolved.fault('fastify', error);
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
    } catch (fault) {
      resolved.fault('fastify', fault);
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
