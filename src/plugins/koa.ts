// Koa 2 and 3: names the server span after the route a router matched (@koa/router and
// koa-router leave it in `ctx._matchedRoute`) and records errors the middleware chain threw.
// The server span itself comes from `http-server`.
import { isInstalled } from '../hooks/http-server.js';
import { patchKoa, settledChannel } from '../hooks/koa.js';
import type { KoaRequestMessage } from '../hooks/koa.js';
import { hookModules } from '../hooks/registry.js';
import type { ModuleHook } from '../hooks/registry.js';
import { recordServerError, serverSpanOf, setServerRoute } from '../server/server-span.js';
import type { Integration, IntegrationContext } from './integration.js';

/** The route template a Koa router left on the context, if any. */
export function koaRoute(context: { readonly [key: string]: unknown }): string | undefined {
  const route = context._matchedRoute;
  if (typeof route === 'string') return route;
  return route instanceof RegExp ? String(route) : undefined;
}

function onSettled(message: KoaRequestMessage): void {
  const context = message.context;
  const span = serverSpanOf(context.req);
  if (span == null) return;
  const route = koaRoute(context);
  if (route !== undefined) setServerRoute(span, typeof context.method === 'string' ? context.method : 'GET', route, 'koa');
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
