// Express 4 and 5: names the server span after the route (`GET /users/:id`, `http.route`) and
// records handler errors. Express 5 publishes `express.router.request` (router 2.3+); Express 4 is
// made to publish the same through our hook. The server span itself comes from `http-server`.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { errorChannel, layerChannel, patchExpress4 } from '../hooks/express4.js';
import type { ExpressLayerMessage } from '../hooks/express4.js';
import { installedMajor, isInstalled } from '../hooks/http-server.js';
import { hookModules } from '../hooks/registry.js';
import type { ModuleHook } from '../hooks/registry.js';
import { recordServerError, serverSpanOf, setServerRoute } from '../server/server-span.js';
import { routeOfLayer } from './express-routes.js';
import type { RoutedRequest } from './express-routes.js';
import type { Integration, IntegrationContext } from './integration.js';

export const EXPRESS_ROUTER_REQUEST = 'express.router.request';

const router = diagnosticsChannel.tracingChannel(EXPRESS_ROUTER_REQUEST);

function onLayer(message: ExpressLayerMessage): void {
  const req = message.req as RoutedRequest & { method?: string };
  const span = serverSpanOf(req);
  if (span == null || !span.isRecording) return;
  const route = routeOfLayer(req, message.layer, message.handler, message.route);
  if (route !== undefined) setServerRoute(span, req.method ?? 'GET', route, 'express');
}

function onError(message: ExpressLayerMessage): void {
  const span = serverSpanOf(message.req);
  if (span != null) recordServerError(span, message.error);
}

/**
 * The Express integration for the packages named `modules` (normally just `express`; tests also
 * pass the `express4` alias). Express 4 copies are patched as they load.
 */
export function createExpressIntegration(modules: readonly string[]): Integration {
  let hook: ModuleHook | null = null;
  const undo: (() => void)[] = [];
  let handlers: { start: (m: unknown) => void; error: (m: unknown) => void } | null = null;

  return {
    name: 'express',
    enable(context: IntegrationContext): boolean {
      if (handlers !== null) return true;
      if (!modules.some(isInstalled)) return false;
      const guard = (fn: (m: ExpressLayerMessage) => void) => (message: unknown): void => {
        try {
          fn(message as ExpressLayerMessage);
        } catch (error) {
          context.fault('express', error);
        }
      };
      handlers = { start: guard(onLayer), error: guard(onError) };
      router.start.subscribe(handlers.start);
      router.error.subscribe(handlers.error);
      layerChannel.subscribe(handlers.start);
      errorChannel.subscribe(handlers.error);
      // Express 5 needs no module hook (nor, for ESM apps, the import loader that comes with one).
      const patchable = modules.filter((name) => isInstalled(name) && !((installedMajor(name) ?? 4) >= 5));
      if (patchable.length > 0) {
        hook = hookModules(patchable, (exports) => {
          const restore = patchExpress4(exports) ?? patchExpress4(exports.default);
          if (restore !== null) undo.push(restore);
          return undefined;
        });
      }
      return true;
    },
    disable(): void {
      if (handlers === null) return;
      hook?.unhook();
      hook = null;
      for (const restore of undo.splice(0).reverse()) restore();
      router.start.unsubscribe(handlers.start);
      router.error.unsubscribe(handlers.error);
      layerChannel.unsubscribe(handlers.start);
      errorChannel.unsubscribe(handlers.error);
      handlers = null;
    },
  };
}

export const expressIntegration: Integration = createExpressIntegration(['express']);
