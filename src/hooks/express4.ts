// Express 4 publishes nothing (Express 5's router publishes `express.router.request`). This hook
// makes Express 4 publish the same message for each layer it runs, `{ req, res, layer, handler,
// route }`, and each error handed to `next`, so one plugin serves both. Express 4 keeps only the
// RegExp of a mounted path, so `use` is wrapped to remember the path as written.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { HOOK_EXPRESS4_ERROR, HOOK_EXPRESS4_LAYER } from './channels.js';
import { replaceMethod } from './wrap.js';

/** The shape of `express.router.request`'s context, as far as the plugin reads it. */
export interface ExpressLayerMessage {
  readonly req: object;
  readonly res: object;
  readonly layer: object;
  readonly handler: unknown;
  /** The path the layer was registered with (a route handler's: its route's path). */
  readonly route: unknown;
  error?: unknown;
}

const layerChannel = diagnosticsChannel.channel(HOOK_EXPRESS4_LAYER);
const errorChannel = diagnosticsChannel.channel(HOOK_EXPRESS4_ERROR);

const RAW_PATH = Symbol.for('opentracing-async-instrumentation.express4.rawPath');
const PUBLISHED_ERROR = Symbol.for('opentracing-async-instrumentation.express4.publishedError');

type Next = (error?: unknown) => void;
type LayerHandle = (this: unknown, req: object, res: object, next: Next) => void;
type LayerHandleError = (this: unknown, error: unknown, req: object, res: object, next: Next) => void;
interface Layer {
  handle: ((...args: never[]) => unknown) & { length: number };
  route?: unknown;
  path?: string;
  regexp?: { fast_slash?: boolean };
  [RAW_PATH]?: string | RegExp;
}
interface RouterProto {
  (options?: object): { stack: Layer[]; use(...args: unknown[]): unknown };
  use: (this: unknown, ...args: unknown[]) => unknown;
  handle?: unknown;
}

function routeOf(layer: Layer, req: { route?: { path?: unknown } }): unknown {
  if ('method' in layer) return req.route?.path;
  if (layer.regexp?.fast_slash === true) return '/';
  return layer[RAW_PATH] ?? layer.path;
}

function isRoutingSignal(error: unknown): boolean {
  return error === 'route' || error === 'router';
}

/**
 * Publishes an error where it enters `next`, once: on its way out the same error passes through
 * the `next` of every enclosing route and router, and through the error-handling path.
 */
function tracedNext(message: ExpressLayerMessage, next: Next, incoming: unknown): Next {
  return function next_(error?: unknown) {
    if (error !== undefined && error !== null && error !== incoming && !isRoutingSignal(error) && errorChannel.hasSubscribers) {
      const req = message.req as { [PUBLISHED_ERROR]?: unknown };
      if (req[PUBLISHED_ERROR] !== error) {
        req[PUBLISHED_ERROR] = error;
        message.error = error;
        errorChannel.publish(message);
      }
    }
    return next(error);
  };
}

function messageFor(layer: Layer, req: object, res: object): ExpressLayerMessage {
  return { req, res, layer, handler: layer.handle, route: routeOf(layer, req) };
}

function wrapHandleRequest(original: LayerHandle): LayerHandle {
  return function handle(this: unknown, req: object, res: object, next: Next) {
    if (!layerChannel.hasSubscribers && !errorChannel.hasSubscribers) return original.call(this, req, res, next);
    const layer = this as Layer;
    const message = messageFor(layer, req, res);
    if (layer.handle.length <= 3 && layerChannel.hasSubscribers) layerChannel.publish(message);
    return original.call(this, req, res, tracedNext(message, next, undefined));
  };
}

function wrapHandleError(original: LayerHandleError): LayerHandleError {
  return function handle_error(this: unknown, error: unknown, req: object, res: object, next: Next) {
    if (!errorChannel.hasSubscribers) return original.call(this, error, req, res, next);
    // An error handler that fails anew, or replaces the error, reports the new one.
    return original.call(this, error, req, res, tracedNext(messageFor(this as Layer, req, res), next, error));
  };
}

/** The path `router.use(path?, ...fns)` mounts at, decided as Express 4 decides it. */
function mountPath(args: unknown[]): unknown {
  let first = args[0];
  while (Array.isArray(first) && first.length > 0) first = first[0];
  return typeof first === 'function' ? '/' : args[0];
}

function wrapUse(original: RouterProto['use']): RouterProto['use'] {
  return function use(this: unknown, ...args: unknown[]) {
    const stack = (this as { stack?: Layer[] } | null)?.stack;
    const before = Array.isArray(stack) ? stack.length : 0;
    const result = original.apply(this, args);
    const path = mountPath(args);
    if ((typeof path === 'string' || path instanceof RegExp) && Array.isArray(stack)) {
      for (let i = before; i < stack.length; i++) stack[i]![RAW_PATH] = path;
    }
    return result;
  };
}

/**
 * Patches an Express 4 module (its exports); returns the function that undoes it, or null when
 * `express` is not Express 4. The Layer class is found through a throwaway router, not a file path.
 */
export function patchExpress4(express: unknown): (() => void) | null {
  const Router = (express as { Router?: RouterProto } | null)?.Router;
  // Express 4's Router is the prototype object itself, with `handle` on it; Express 5's is a class.
  if (typeof Router !== 'function' || typeof Router.handle !== 'function' || typeof Router.use !== 'function') return null;
  const probe = Router();
  probe.use(() => {});
  const layerProto = (probe.stack[0]?.constructor as { prototype?: { handle_request?: LayerHandle; handle_error?: LayerHandleError } } | undefined)?.prototype;
  if (layerProto === undefined || typeof layerProto.handle_request !== 'function' || typeof layerProto.handle_error !== 'function') return null;
  const undo = [
    replaceMethod(Router, 'use', wrapUse),
    replaceMethod(layerProto as { handle_request: LayerHandle }, 'handle_request', wrapHandleRequest),
    replaceMethod(layerProto as { handle_error: LayerHandleError }, 'handle_error', wrapHandleError),
  ];
  return () => {
    for (const restore of undo.reverse()) restore();
  };
}
