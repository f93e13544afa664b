// node:http and node:https servers publish no channel that scopes the request handler, and the
// events of a request's streams run in the connection's async context, not the request's. This
// hook wraps the three `emit`s involved so that a plugin can have them run in its own context:
// - the server's `request` (and `checkContinue`/`checkExpectation`) dispatch runs inside
//   `store.run(scope.enter(message), ...)` of the bound scope; a throw is published on `error`;
// - every later event of that request or response that has listeners runs inside
//   `store.run(scope.reenter(message), ...)`, so `data`/`end`/`finish`/`close` listeners and what
//   they continue stay in the request's context;
// - a `close` of the request or response before the response has finished is published on
//   `close`: the client left early (a close after the finish, every request's, is not news).
// The scope is TracingChannel#start.bindStore's idea without its per-call closures and arrays:
// this is the one hook every request of every app goes through.
import type { AsyncLocalStorage } from 'node:async_hooks';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import { HOOK_HTTP_SERVER_REQUEST_CLOSE, HOOK_HTTP_SERVER_REQUEST_ERROR } from './channels.js';

/**
 * One per request, made when it is dispatched and passed to every later event of the request.
 * The request and the response both carry it.
 */
export interface ServerRequestMessage {
  readonly server: http.Server;
  readonly request: http.IncomingMessage;
  readonly response: http.ServerResponse;
  /** Set for the `error` channel: what a `request` listener threw. */
  error?: unknown;
}

/** How a plugin has requests run in its context (never throws: a plugin guards its own code). */
export interface RequestScope<T> {
  readonly store: AsyncLocalStorage<T>;
  /** The store value for the request's listeners. */
  enter(message: ServerRequestMessage): T;
  /** The store value for a later event of the request (or its response). */
  reenter(message: ServerRequestMessage): T;
}

const requestErrorChannel = diagnosticsChannel.channel(HOOK_HTTP_SERVER_REQUEST_ERROR);
const requestCloseChannel = diagnosticsChannel.channel(HOOK_HTTP_SERVER_REQUEST_CLOSE);

let scope: RequestScope<unknown> | null = null;

/** Binds (or with null, unbinds) the scope requests run in; the hook dispatches only while bound. */
export function bindRequestScope<T>(bound: RequestScope<T> | null): void {
  scope = bound as RequestScope<unknown> | null;
}

// Shared by both builds of this package, so a request is dispatched through one hook only.
const MESSAGE = Symbol.for('opentracing-async-instrumentation.serverRequestMessage');
const ORIGINAL = Symbol.for('opentracing-async-instrumentation.originalEmit');

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
type Carrier = { [MESSAGE]?: ServerRequestMessage };
type Patched = Emit & { [ORIGINAL]?: Emit };

function isRequestEvent(event: unknown): boolean {
  return event === 'request' || event === 'checkContinue' || event === 'checkExpectation';
}

function emitRequest(original: Emit, server: unknown, event: string, request: unknown, response: unknown): boolean {
  return original.call(server, event, request, response);
}

function dispatch(bound: RequestScope<unknown>, server: unknown, original: Emit, event: string, request: http.IncomingMessage & Carrier, response: http.ServerResponse): boolean {
  const message: ServerRequestMessage = { server: server as http.Server, request, response };
  request[MESSAGE] = message;
  (response as Carrier)[MESSAGE] = message;
  try {
    return bound.store.run(bound.enter(message), emitRequest, original, server, event, request, response);
  } catch (error) {
    message.error = error;
    if (requestErrorChannel.hasSubscribers) requestErrorChannel.publish(message);
    throw error;
  }
}

function wrapServerEmit(original: Emit): Emit {
  return function emit(this: unknown, event: string | symbol, request?: unknown, response?: unknown) {
    const bound = scope;
    if (bound !== null && isRequestEvent(event) && request instanceof http.IncomingMessage &&
      (request as Carrier)[MESSAGE] === undefined && response instanceof http.ServerResponse && arguments.length === 3) {
      return dispatch(bound, this, original, event as string, request, response);
    }
    return Reflect.apply(original, this, arguments) as boolean;
  };
}

type Events = { _events?: Record<string | symbol, unknown> };

/** How many listeners `event` has, read from the emitter's own table: this runs for every event of every request. */
function listenerCount(emitter: EventEmitter, event: string | symbol): number {
  const events = (emitter as Events)._events;
  if (events === undefined) return emitter.listenerCount(event);
  const listeners = events[event];
  return listeners === undefined ? 0 : typeof listeners === 'function' ? 1 : (listeners as unknown[]).length;
}

function publishClose(emitter: Carrier): void {
  const message = emitter[MESSAGE];
  if (message !== undefined && !message.response.writableFinished && requestCloseChannel.hasSubscribers) {
    requestCloseChannel.publish(message);
  }
}

// An event runs in the request's context only if it has listeners beyond those Node adds itself,
// which need none: the response's `finish` handler (always there) and the request's `end` handler
// (added once the response has finished); hello world would otherwise pay a `run()` per request.
// Most events of most requests have no listener at all: that is decided before the message is
// even looked up. The two wrappers are separate functions so each keeps its own type feedback.

function wrapRequestEmit(original: Emit): Emit {
  return function emit(this: unknown, event: string | symbol) {
    if (event === 'close') publishClose(this as Carrier);
    const bound = scope;
    if (bound !== null) {
      const count = listenerCount(this as EventEmitter, event);
      if (count > 0) {
        const message = (this as Carrier)[MESSAGE];
        if (message !== undefined && (count > 1 || event !== 'end' || !message.response.writableFinished)) {
          return bound.store.run(bound.reenter(message), Reflect.apply, original, this, arguments) as boolean;
        }
      }
    }
    return Reflect.apply(original, this, arguments) as boolean;
  };
}

function wrapResponseEmit(original: Emit): Emit {
  return function emit(this: unknown, event: string | symbol) {
    if (event === 'close') publishClose(this as Carrier);
    const bound = scope;
    if (bound !== null && listenerCount(this as EventEmitter, event) > (event === 'finish' ? 1 : 0)) {
      const message = (this as Carrier)[MESSAGE];
      if (message !== undefined) return bound.store.run(bound.reenter(message), Reflect.apply, original, this, arguments) as boolean;
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
  patchEmit(http.IncomingMessage.prototype as unknown as { emit: Emit }, wrapRequestEmit);
  patchEmit(http.ServerResponse.prototype as unknown as { emit: Emit }, wrapResponseEmit);
}

/** Restores every emit exactly as it was (inherited ones become inherited again). */
export function uninstallHttpServerHook(): void {
  for (const { target, hadOwn, original } of slots.splice(0).reverse()) {
    // Wrapped again by someone else since: leave it; with no scope bound ours only passes through.
    if ((target.emit as Patched)[ORIGINAL] !== original) continue;
    if (hadOwn) target.emit = original;
    else delete (target as { emit?: Emit }).emit;
  }
}
