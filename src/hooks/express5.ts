// Express 5 (router 2.3+) publishes `express.router.request`, but only through a traced path that
// hands every handler a wrapped `next` as soon as anyone subscribes (router's lib/layer.js
// `invokeWithTrace`): handlers comparing `next === req.next` (res.format's) then fail. So we do
// not subscribe. Instead, two assignments router makes anyway tell us what the channel would:
// - `req[matchedRoute] = match.pattern` right after a layer matched (the layer is remembered by
//   a wrapper of `Layer.prototype.match`, which returns before any handler runs);
// - the error set router keeps on the request (`req[Symbol.for('router.tracing.publishedErrors')]`),
//   to which every error passed to its `next` is added once (thrown, rejected, `next(err)`,
//   `req.next(err)`).
// Accessors for these two symbols on Express's request prototype publish the same messages as
// the Express 4 hook. No wrapper is on the stack while a handler runs, and handlers receive
// exactly what they receive untraced.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HOOK_EXPRESS4_ERROR, HOOK_EXPRESS4_LAYER } from './channels.js';
import type { ExpressLayerMessage } from './express4.js';
import { replaceMethod } from './wrap.js';

const layerChannel = diagnosticsChannel.channel(HOOK_EXPRESS4_LAYER);
const errorChannel = diagnosticsChannel.channel(HOOK_EXPRESS4_ERROR);

const SEEN_ERRORS = Symbol.for('router.tracing.publishedErrors');
const MATCHED = Symbol('opentracing-async-instrumentation.express5.matched');
const ERRORS = Symbol('opentracing-async-instrumentation.express5.errors');

type Match = (this: unknown, path: string) => { pattern?: unknown; path?: unknown } | false;
interface RouterLayer {
  handle: unknown;
  route?: { path?: unknown };
  match: Match;
}

/** A route handler's layer, as the plugin recognises one (Express 4's have `method`). */
const ROUTE_LAYER = Object.freeze({ method: true });

type Req = { res?: object; [MATCHED]?: unknown; [ERRORS]?: Set<unknown> } & Record<symbol, unknown>;

function defineAccessor(target: object, key: symbol, descriptor: PropertyDescriptor): () => void {
  const previous = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { ...descriptor, configurable: true, enumerable: false });
  return () => {
    if (previous === undefined) delete (target as Record<symbol, unknown>)[key];
    else Object.defineProperty(target, key, previous);
  };
}

function publishError(req: Req, error: unknown): void {
  if (!errorChannel.hasSubscribers) return;
  const message: ExpressLayerMessage = { req, res: req.res ?? req, layer: ROUTE_LAYER, handler: undefined, route: undefined, error };
  errorChannel.publish(message);
}

/**
 * Patches the Express 5 module (`loaded.basedir` is its directory): returns the undo, or null when
 * its router is older than 2.3 (no `lib/symbols.js`) or the shapes are not as expected.
 */
/** Express request prototypes patched now (a copy can be reached by require, import and the first request alike). */
const patchedRequests = new WeakSet<object>();

export function patchExpress5(express: unknown, basedir: string): (() => void) | null {
  const request = (express as { request?: object } | null)?.request;
  if (request === null || typeof request !== 'object' || patchedRequests.has(request)) return null;
  let matchedRoute: unknown;
  let Layer: { prototype: RouterLayer } | undefined;
  try {
    const routerRequire = createRequire(path.join(basedir, 'package.json'));
    matchedRoute = (routerRequire('router/lib/symbols') as { matchedRoute?: unknown }).matchedRoute;
    Layer = routerRequire('router/lib/layer') as { prototype: RouterLayer };
  } catch {
    return null;
  }
  if (typeof matchedRoute !== 'symbol' || typeof Layer?.prototype?.match !== 'function') return null;

  // Set by match() and read by the very next assignment of req[matchedRoute] (same synchronous run).
  let lastMatched: RouterLayer | null = null;
  let lastPattern: unknown;
  let lastPath: unknown;
  const undo = [
    replaceMethod(Layer.prototype as { match: Match }, 'match', (original) => function match(this: unknown, routePath: string) {
      const result = (original as Match).call(this, routePath);
      lastMatched = result ? this as RouterLayer : null;
      lastPattern = result ? result.pattern : undefined;
      lastPath = result ? result.path : undefined;
      return result;
    }),
    defineAccessor(request, matchedRoute, {
      get(this: Req) {
        return this[MATCHED];
      },
      set(this: Req, pattern: unknown) {
        this[MATCHED] = pattern;
        const layer = lastMatched;
        lastMatched = null;
        // router's restore() also assigns it, when leaving a router: no layer (or another pattern) then.
        if (layer === null || pattern !== lastPattern || !layerChannel.hasSubscribers) return;
        const message: ExpressLayerMessage = {
          req: this,
          res: this.res ?? this,
          layer: layer.route !== undefined ? ROUTE_LAYER : layer,
          handler: layer.handle,
          route: pattern,
        };
        // The channel's message comes after router has moved `req.baseUrl` into a mounted router or
        // app; this assignment comes before. Show the plugin the base it would see, for this call only.
        const mountedPath = layer.route === undefined && typeof lastPath === 'string' && lastPath !== '' ? lastPath : undefined;
        if (mountedPath === undefined) return layerChannel.publish(message);
        const req = this as { baseUrl?: unknown };
        const own = Object.prototype.hasOwnProperty.call(req, 'baseUrl');
        const base = req.baseUrl;
        req.baseUrl = `${typeof base === 'string' ? base : ''}${mountedPath.endsWith('/') ? mountedPath.slice(0, -1) : mountedPath}`;
        try {
          layerChannel.publish(message);
        } finally {
          if (own) req.baseUrl = base;
          else delete req.baseUrl;
        }
      },
    }),
    defineAccessor(request, SEEN_ERRORS, {
      get(this: Req) {
        return this[ERRORS];
      },
      set(this: Req, errors: unknown) {
        if (errors instanceof Set) {
          const req = this;
          // router adds each error once (a handled one is deleted, so a later report counts again).
          Object.defineProperty(errors, 'add', {
            configurable: true,
            writable: true,
            value(error: unknown) {
              if (!errors.has(error)) publishError(req, error);
              return Set.prototype.add.call(errors, error);
            },
          });
        }
        this[ERRORS] = errors as Set<unknown>;
      },
    }),
  ];
  patchedRequests.add(request);
  return () => {
    patchedRequests.delete(request);
    for (const restore of undo.reverse()) restore();
  };
}
