// Fastify 4 and 5: names the server span after the route (`GET /users/:id`, `http.route`) and
// records handler errors. Fastify 5 publishes `tracing:fastify.request.handler` with the route;
// Fastify 4 publishes only `fastify.initialization`, where we add an `onRequest` hook (the route)
// and an `onError` hook (the error) to each new instance: Fastify's own API, no patching.
// The server span itself comes from `http-server`.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { isInstalled } from '../hooks/http-server.js';
import { nameFastifyRoute, recordFastifyError } from '../server/fastify-plugin.js';
import type { FastifyRequestLike } from '../server/fastify-plugin.js';
import type { Integration, IntegrationContext } from './integration.js';

export const FASTIFY_INITIALIZATION = 'fastify.initialization';
export const FASTIFY_REQUEST_HANDLER = 'fastify.request.handler';

const handlerChannel = diagnosticsChannel.tracingChannel(FASTIFY_REQUEST_HANDLER);

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

/** The Fastify integration; `modules` names the packages to look for (tests add the `fastify4` alias). */
export function createFastifyIntegration(modules: readonly string[]): Integration {
  let active: { context: IntegrationContext; subscribers: Record<string, (message: unknown) => void> } | null = null;

  function guard(fn: (message: never) => void): (message: unknown) => void {
    return (message) => {
      try {
        fn(message as never);
      } catch (error) {
        active?.context.fault('fastify', error);
      }
    };
  }

  function onRequestHook(request: FastifyRequestLike, _reply: unknown, done: Done): void {
    try {
      if (active !== null) nameFastifyRoute(request, request.routeOptions?.url);
    } catch (error) {
      active?.context.fault('fastify', error);
    }
    done();
  }

  function onErrorHook(request: FastifyRequestLike, _reply: unknown, error: unknown, done: Done): void {
    try {
      if (active !== null) recordFastifyError(request, error);
    } catch (fault) {
      active?.context.fault('fastify', fault);
    }
    done();
  }

  // Fastify 4 has no handler channel. The hooks stay on instances made while enabled (Fastify
  // cannot remove hooks) but do nothing once the integration is off.
  function onInitialization({ fastify }: { fastify: FastifyInstance }): void {
    if (!(majorVersion(fastify) < 5)) return;
    fastify.addHook('onRequest', onRequestHook);
    fastify.addHook('onError', onErrorHook);
  }

  return {
    name: 'fastify',
    enable(context: IntegrationContext): boolean {
      if (active !== null) return true;
      if (!modules.some(isInstalled)) return false;
      active = {
        context,
        subscribers: {
          init: guard(onInitialization),
          start: guard((store: HandlerStore) => nameFastifyRoute(store.request, store.route?.url)),
          error: guard((store: HandlerStore) => recordFastifyError(store.request, store.error)),
        },
      };
      diagnosticsChannel.subscribe(FASTIFY_INITIALIZATION, active.subscribers.init!);
      handlerChannel.start.subscribe(active.subscribers.start!);
      handlerChannel.error.subscribe(active.subscribers.error!);
      return true;
    },
    disable(): void {
      if (active === null) return;
      diagnosticsChannel.unsubscribe(FASTIFY_INITIALIZATION, active.subscribers.init!);
      handlerChannel.start.unsubscribe(active.subscribers.start!);
      handlerChannel.error.unsubscribe(active.subscribers.error!);
      active = null;
    },
  };
}

export const fastifyIntegration: Integration = createFastifyIntegration(['fastify']);
