// Koa (2 and 3) publishes nothing. This hook wraps `Application.prototype.handleRequest` so that,
// for each request, the end of the middleware chain is published: with the Koa context (where a
// router leaves the matched route) and the error the chain threw, if any.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { HOOK_KOA_REQUEST_SETTLED } from './channels.js';
import { replaceMethod } from './wrap.js';

export interface KoaRequestMessage {
  /** The Koa context (`ctx`). */
  readonly context: { readonly req: object; readonly res: object; readonly method?: string };
  /** What the middleware chain threw or rejected with; absent when it succeeded. */
  readonly error?: unknown;
  readonly failed: boolean;
}

const settledChannel = diagnosticsChannel.channel(HOOK_KOA_REQUEST_SETTLED);

type Middleware = (context: unknown) => unknown;
type HandleRequest = (this: unknown, context: unknown, fnMiddleware: Middleware) => unknown;

function publish(context: KoaRequestMessage['context'], error: unknown, failed: boolean): void {
  if (settledChannel.hasSubscribers) settledChannel.publish(failed ? { context, error, failed } : { context, failed });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function';
}

function wrapHandleRequest(original: HandleRequest): HandleRequest {
  return function handleRequest(this: unknown, context: unknown, fnMiddleware: Middleware) {
    if (!settledChannel.hasSubscribers || typeof fnMiddleware !== 'function' || context === null || typeof context !== 'object') {
      return original.call(this, context, fnMiddleware);
    }
    const ctx = context as KoaRequestMessage['context'];
    return original.call(this, context, function tracedMiddleware(this: unknown, ...args: [unknown]) {
      const result = fnMiddleware.apply(this, args);
      // Observed on a branch of its own: Koa's own chain still handles the rejection.
      if (isThenable(result)) result.then(() => publish(ctx, undefined, false), (error: unknown) => publish(ctx, error, true));
      return result;
    });
  };
}

/** Patches a Koa module (the Application class, or an ESM namespace with it as default). */
export function patchKoa(exports: unknown): (() => void) | null {
  const candidate = typeof exports === 'function' ? exports : (exports as { default?: unknown } | null)?.default;
  const proto = (candidate as { prototype?: { handleRequest?: unknown; callback?: unknown } } | undefined)?.prototype;
  if (proto === undefined || typeof proto.handleRequest !== 'function' || typeof proto.callback !== 'function') return null;
  return replaceMethod(proto as { handleRequest: HandleRequest }, 'handleRequest', wrapHandleRequest);
}
