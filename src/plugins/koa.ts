// Koa 2 and 3: names the server span after the route a router matched (@koa/router and
// koa-router leave it in `ctx._matchedRoute`) and records errors the middleware chain threw.
// The server span itself comes from `http-server`.
import { isInstalled } from '../hooks/http-server.js';
import { patchKoa, settledChannel } from '../hooks/koa.js';
import type { KoaRequestMessage } from '../hooks/koa.js';
import { hookModules } from '../hooks/registry.js';
import type { ModuleHook } from '../hooks/registry.js';
import { nameKoaRoute } from '../server/koa-middleware.js';
import { recordServerError, serverSpanOf } from '../server/server-span.js';
import type { Integration, IntegrationContext } from './integration.js';

function onSettled(message: KoaRequestMessage): void {
  const context = message.context;
  const span = serverSpanOf(context.req);
  if (span == null) return;
  nameKoaRoute(context, span);
  if (message.failed) recordServerError(span, message.error);
}

/** The Koa integration for the packages named `modules` (normally `koa`; tests add the `koa2` alias). */
export function createKoaIntegration(modules: readonly string[]): Integration {
  let hook: ModuleHook | null = null;
  let subscriber: ((message: unknown) => void) | null = null;
  const undo: (() => void)[] = [];
  return {
    name: 'koa',
    enable(context: IntegrationContext): boolean {
      if (subscriber !== null) return true;
      if (!modules.some(isInstalled)) return false;
      subscriber = (message: unknown): void => {
        try {
          onSettled(message as KoaRequestMessage);
        } catch (error) {
          context.fault('koa', error);
        }
      };
      settledChannel.subscribe(subscriber);
      hook = hookModules(modules, (exports) => {
        const restore = patchKoa(exports);
        if (restore !== null) undo.push(restore);
        return undefined;
      });
      return true;
    },
    disable(): void {
      if (subscriber === null) return;
      hook?.unhook();
      hook = null;
      for (const restore of undo.splice(0).reverse()) restore();
      settledChannel.unsubscribe(subscriber);
      subscriber = null;
    },
  };
}

export const koaIntegration: Integration = createKoaIntegration(['koa']);
