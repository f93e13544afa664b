// Express 4 and 5: names the server span after the route (`GET /users/:id`, `http.route`) and
// records handler errors. Both are made to publish the message Express 5's router puts on
// `express.router.request`, through our hooks: subscribing to that channel itself would change
// the `next` Express 5 hands every handler (see hooks/express5.ts). The server span itself comes
// from `http-server`.
import { HOOK_EXPRESS4_ERROR, HOOK_EXPRESS4_LAYER, HTTP_SERVER_REQUEST_START } from '../hooks/channels.js';
import { requireInstalled } from '../hooks/registry.js';
import { satisfies } from '../hooks/semver-range.js';
import { patchExpress4 } from '../hooks/express4.js';
import { patchExpress5 } from '../hooks/express5.js';
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
    setup: () => {
      // Express 5 is patched at the first request rather than as it loads: a module hook would need
      // Node's ESM loader (a thread, ~40 ms of CPU at every start) for apps that `import` it, while
      // the copy the app resolves can be required (the very instance it imported) once a request
      // comes, before Express sees that request.
      const undoExpress5: (() => void)[] = [];
      let express5Looked = false;
      const patchExpress5Once = (): void => {
        if (express5Looked) return;
        express5Looked = true;
        for (const name of modules) {
          const loaded = requireInstalled(name);
          if (loaded === undefined || !satisfies(loaded.version, '>=5')) continue;
          const undo = patchExpress5(loaded.exports, loaded.basedir);
          if (undo !== null) undoExpress5.push(undo);
        }
      };
      return {
        channels: [
          { channel: HOOK_EXPRESS4_LAYER, handler: onLayer },
          { channel: HOOK_EXPRESS4_ERROR, handler: onError },
          { channel: HTTP_SERVER_REQUEST_START, handler: patchExpress5Once },
        ],
        // Express 4 publishes nothing of use: each copy is patched as it loads. Express 5 copies
        // are patched as they are required too (a second copy in the process, say), but not
        // through the ESM loader: the first request covers the copy an ESM app imports.
        moduleHooks: modules.flatMap((name) => [
          {
            name,
            versions: '>=4 <5',
            patch: (exports: unknown) => patchExpress4(exports) ?? patchExpress4((exports as { default?: unknown }).default),
          },
          {
            name,
            versions: '>=5',
            requireOnly: true,
            patch: (exports: unknown, loaded: { basedir: string }) => {
              const undo = patchExpress5(exports, loaded.basedir);
              if (undo !== null) undoExpress5.push(undo);
            },
          },
        ]),
        patches: [() => () => {
          for (const undo of undoExpress5.splice(0).reverse()) undo();
        }],
      };
    },
  });
}

export const expressIntegration: Integration = createExpressIntegration(['express']);
