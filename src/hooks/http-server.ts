// node:http and node:https servers publish no channel that scopes the request handler, and the
// events of a request's streams run in the connection's async context, not the request's. This
// hook wraps the three `emit`s involved and publishes, so that a plugin can bind its store:
// - the server's `request` (and `checkContinue`/`checkExpectation`) dispatch, as a TracingChannel
//   (`start` with bound stores runs the listeners in the plugin's context; `error` on a throw);
// - every later event of that request or response that has listeners, through `runStores` of a
//   plain channel, so `data`/`end`/`finish`/`close` listeners and what they continue stay in it;
// - `close` of the request or response, so an early disconnect can be told from a finished reply.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import * as http from 'node:http';
import * as https from 'node:https';

export const HOOK_HTTP_SERVER_REQUEST = 'opentracing-async-instrumentation:http.server.request';
export const HOOK_HTTP_SERVER_REQUEST_EVENT = 'opentracing-async-instrumentation:http.server.request.event';
export const HOOK_HTTP_SERVER_REQUEST_CLOSE = 'opentracing-async-instrumentation:http.server.request.close';

/** Published once per request; the same object is passed to every later event of the request. */
export interface ServerRequestMessage {
  readonly server: http.Server;
  readonly request: http.IncomingMessage;
  readonly response: http.ServerResponse;
  /** Set on the TracingChannel's `error` event: what a `request` listener threw. */
  error?: unknown;
}

export const requestChannel = diagnosticsChannel.tracingChannel<unknown, ServerRequestMessage>(HOOK_HTTP_SERVER_REQUEST);
export const requestEventChannel = diagnosticsChannel.channel(HOOK_HTTP_SERVER_REQUEST_EVENT);
export const requestCloseChannel = diagnosticsChannel.channel(HOOK_HTTP_SERVER_REQUEST_CLOSE);

// Shared by both builds of this package, so a request is dispatched through one hook only.
const MESSAGE = Symbol.for('opentracing-async-instrumentation.serverRequestMessage');
const ORIGINAL = Symbol.for('opentracing-async-instrumentation.originalEmit');

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
type Carrier = { [MESSAGE]?: ServerRequestMessage };
type Patched = Emit & { [ORIGINAL]?: Emit };

function isRequestEvent(event: unknown): boolean {
  return event === 'request' || event === 'checkContinue' || event === 'checkExpectation';
}

function wrapServerEmit(original: Emit): Emit {
  return function emit(this: unknown, event: string | symbol) {
    if (isRequestEvent(event) && requestChannel.hasSubscribers) {
      const request = arguments[1] as http.IncomingMessage & Carrier;
      const response = arguments[2] as http.ServerResponse & Carrier;
      if (request !== null && typeof request === 'object' && request[MESSAGE] === undefined &&
        response !== null && typeof response === 'object') {
        const message: ServerRequestMessage = { server: this as http.Server, request, response };
        request[MESSAGE] = message;
        response[MESSAGE] = message;
        return requestChannel.traceSync(Reflect.apply, message, undefined, original, this, arguments) as boolean;
      }
    }
    return Reflect.apply(original, this, arguments) as boolean;
  };
}

/**
 * For the request and the response: `internalListeners` is how many listeners Node itself adds to
 * every such object for an event (the response's own `finish`), which need no context.
 */
function wrapMessageEmit(original: Emit, internalFinishListeners: number): Emit {
  return function emit(this: unknown, event: string | symbol) {
    const emitter = this as Carrier & { listenerCount(event: string | symbol): number };
    const message = emitter[MESSAGE];
    if (message !== undefined) {
      if (event === 'close' && requestCloseChannel.hasSubscribers) requestCloseChannel.publish(message);
      if (requestEventChannel.hasSubscribers &&
        emitter.listenerCount(event) > (event === 'finish' ? internalFinishListeners : 0)) {
        return requestEventChannel.runStores(message, Reflect.apply, undefined, original, this, arguments) as boolean;
      }
    }
    return Reflect.apply(original, this, arguments) as boolean;
  };
}

interface Slot {
  target: { emit: Emit };
  hadOwn: boolean;
  original: Emit;
}

const slots: Slot[] = [];

function patchEmit(target: { emit: Emit }, wrap: (original: Emit) => Emit): void {
  const original = target.emit;
  if (typeof original !== 'function' || (original as Patched)[ORIGINAL] !== undefined) return;
  const patched = wrap(original) as Patched;
  patched[ORIGINAL] = original;
  const hadOwn = Object.prototype.hasOwnProperty.call(target, 'emit');
  Object.defineProperty(target, 'emit', { value: patched, writable: true, configurable: true, enumerable: false });
  slots.push({ target, hadOwn, original });
}

/** Wraps the emits; a second call (or a second copy of this package) changes nothing. */
export function installHttpServerHook(): void {
  if (slots.length > 0) return;
  patchEmit(http.Server.prototype as unknown as { emit: Emit }, wrapServerEmit);
  patchEmit(https.Server.prototype as unknown as { emit: Emit }, wrapServerEmit);
  patchEmit(http.IncomingMessage.prototype as unknown as { emit: Emit }, (o) => wrapMessageEmit(o, 0));
  patchEmit(http.ServerResponse.prototype as unknown as { emit: Emit }, (o) => wrapMessageEmit(o, 1));
}

/** Restores every emit exactly as it was (inherited ones become inherited again). */
export function uninstallHttpServerHook(): void {
  for (const { target, hadOwn, original } of slots.splice(0).reverse()) {
    // Wrapped again by someone else since: leave it; with no subscribers ours only passes through.
    if ((target.emit as Patched)[ORIGINAL] !== original) continue;
    if (hadOwn) target.emit = original;
    else delete (target as { emit?: Emit }).emit;
  }
}
