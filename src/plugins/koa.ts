// Koa 2 and 3: names the server span after the route a router matched (@koa/router and
// koa-router leave it in `ctx._matchedRoute`) and records errors the middleware chain threw.
// The server span itself comes from `http-server`.
import { HOOK_KOA_REQUEST_SETTLED } from '../hooks/channels.js';
import { patchKoa } from '../hooks/koa.js';
import type { KoaRequestMessage } from '../hooks/koa.js';
import { nameKoaRoute } from '../semantics/route-names.js';
import { recordServerError, serverSpanOf } from '../semantics/server-span.js';
import type { Integration } from './integration.js';
import { defineIntegration } from './lifecycle.js';

function onSettled(message: KoaRequestMessage): void {
  const context = message.context;
  const span = serverSpanOf(context.req);
  if (span == null) return;
  nameKoaRoute(context, span);
  if (message.failed) recordServerError(span, message.error);
}

/** The Koa integration for the packages named `modules` (normally `koa`; tests add the `koa2` alias). */
export function createKoaIntegration(modules: readonly string[]): Integration {
  return defineIntegration({
    name: 'koa',
    packages: modules,
    setup: () => ({
      channels: [{ channel: HOOK_KOA_REQUEST_SETTLED, handler: onSettled }],
      // Every Koa publishes nothing; the patch checks the Application's shape itself.
      moduleHooks: modules.map((name) => ({ name, versions: '>=2', patch: patchKoa })),
    }),
  });
}

export const koaIntegration: Integration = createKoaIntegration(['koa']);
