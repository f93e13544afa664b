// Fastify 4 and 5: names the server span after the route (`GET /users/:id`, `http.route`) and
// records handler errors. Fastify 5 publishes `tracing:fastify.request.handler` with the route;
// Fastify 4 publishes only `fastify.initialization`, where we add an `onRequest` hook (the route)
// and an `onError` hook (the error) to each new instance: Fastify's own API, no patching.
// The server span itself comes from `http-server`.
import { FASTIFY_INITIALIZATION, FASTIFY_REQUEST_HANDLER } from '../hooks/channels.js';
import { nameFastifyRoute, recordFastifyError } from '../semantics/route-names.js';
import type { FastifyRequestLike } from '../semantics/route-names.js';
import type { Integration } from './integration.js';
import { defineIntegration } from './lifecycle.js';
import type { IntegrationTools } from './lifecycle.js';

type Done = (error?: unknown) => void;
interface FastifyInstance {
  readonly version?: string;
  addHook(name: string, hook: (...args: never[]) => void): unknown;
}
interface HandlerStore {
  readonly request: FastifyRequestLike;
  readonly route?: { readonly url?: string; readonly method?: string };
  readonly error?: unknown;
}

function majorVersion(instance: FastifyInstance): number {
  return typeof instance.version === 'string' ? Number.parseInt(instance.version, 10) : Number.NaN;
}

/**
 * Fastify 4 has no handler channel: hooks on each new instance. They stay on instances made while
 * enabled (Fastify cannot remove hooks) but do nothing once the integration is off.
 */
function fastify4Hooks(tools: IntegrationTools): (message: { fastify: FastifyInstance }) => void {
  const nameRoute = tools.guard((request: FastifyRequestLike) => nameFastifyRoute(request, request.routeOptions?.url));
  const recordError = tools.guard(recordFastifyError);
  function onRequestHook(request: FastifyRequestLike, _reply: unknown, done: Done): void {
    if (tools.isEnabled()) nameRoute(request);
    done();
  }
  function onErrorHook(request: FastifyRequestLike, _reply: unknown, error: unknown, done: Done): void {
    if (tools.isEnabled()) recordError(request, error);
    done();
  }
  return ({ fastify }) => {
    if (!(majorVersion(fastify) < 5)) return;
    fastify.addHook('onRequest', onRequestHook);
    fastify.addHook('onError', onErrorHook);
  };
}

/** The Fastify integration; `modules` names the packages to look for (tests add the `fastify4` alias). */
export function createFastifyIntegration(modules: readonly string[]): Integration {
  return defineIntegration({
    name: 'fastify',
    packages: modules,
    setup: (_context, tools) => ({
      channels: [{ channel: FASTIFY_INITIALIZATION, handler: fastify4Hooks(tools) }],
      tracingChannels: [{
        channel: FASTIFY_REQUEST_HANDLER,
        start: (store: HandlerStore) => nameFastifyRoute(store.request, store.route?.url),
        error: (store: HandlerStore) => recordFastifyError(store.request, store.error),
      }],
    }),
  });
}

export const fastifyIntegration: Integration = createFastifyIntegration(['fastify']);
