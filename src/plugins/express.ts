// Express 4 and 5: names the server span after the route (`GET /users/:id`, `http.route`) and
// records handler errors. Express 5 publishes `express.router.request` (router 2.3+); Express 4 is
// made to publish the same through our hook. The server span itself comes from `http-server`.
import { EXPRESS_ROUTER_REQUEST, HOOK_EXPRESS4_ERROR, HOOK_EXPRESS4_LAYER } from '../hooks/channels.js';
import { patchExpress4 } from '../hooks/express4.js';
import type { ExpressLayerMessage } from '../hooks/express4.js';
import { routeOfLayer } from '../semantics/express-routes.js';
import type { RoutedRequest } from '../semantics/express-routes.js';
import { setServerRoute } from '../semantics/route-names.js';
import { recordServerError, serverSpanOf } from '../semantics/server-span.js';
import type { Integration } from './integration.js';
import { defineIntegration } from './lifecycle.js';

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
 * pass the `express4` alias). Each Express 4 copy is patched as it loads, whichever the app has.
 */
export function createExpressIntegration(modules: readonly string[]): Integration {
  return defineIntegration({
    name: 'express',
    packages: modules,
    setup: () => ({
      tracingChannels: [{ channel: EXPRESS_ROUTER_REQUEST, start: onLayer, error: onError }],
      channels: [
        { channel: HOOK_EXPRESS4_LAYER, handler: onLayer },
        { channel: HOOK_EXPRESS4_ERROR, handler: onError },
      ],
      // Express 5 publishes its own channel: only Express 4 is patched.
      moduleHooks: modules.map((name) => ({
        name,
        versions: '>=4 <5',
        patch: (exports: unknown) => patchExpress4(exports) ?? patchExpress4((exports as { default?: unknown }).default),
      })),
    }),
  });
}

export const expressIntegration: Integration = createExpressIntegration(['express']);
