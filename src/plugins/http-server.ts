// Server spans for node:http and node:https. The request listeners run inside the span through
// the scope bound to the hook (one `run()` of our store per request, scoped: nothing leaks into
// the connection or the next request, unlike `enterWith` from `http.server.request.start`); the
// span finishes on Node's own `http.server.response.finish` channel, or when the connection closes
// first.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { spanStore } from '../tracer/active-context.js';
import type { Span } from '../tracer/span.js';
import { HTTP_SERVER_RESPONSE_FINISH } from '../hooks/channels.js';
import {
  bindRequestScope, installHttpServerHook, requestCloseChannel, requestErrorChannel, uninstallHttpServerHook,
} from '../hooks/http-server.js';
import type { RequestScope, ServerRequestMessage } from '../hooks/http-server.js';
import {
  callerNameFrom, finishAbortedServerSpan, finishServerSpan, headerSource, isIgnoredPath, recordServerError,
  serverSpanOf, setServerSpan, startServerSpan,
} from '../server/server-span.js';
import type { Integration, IntegrationContext } from './integration.js';

const NAME = 'http-server';

let active: IntegrationContext | null = null;
let callerNameHeaders: readonly string[] = [];

function fault(error: unknown): void {
  active?.fault(NAME, error);
}

function startSpan(context: IntegrationContext, request: IncomingMessage): Span | null | undefined {
  const known = serverSpanOf(request);
  if (known !== undefined) return known;
  const tracer = context.tracer();
  if (tracer === null) return undefined;
  const url = request.url ?? '/';
  if (isIgnoredPath(context.options.ignorePaths, url)) {
    setServerSpan(request, null);
    return null;
  }
  const socket = request.socket as IncomingMessage['socket'] | null;
  const span = startServerSpan(tracer, {
    method: request.method ?? 'GET',
    url,
    headers: headerSource(request),
    remoteIp: socket?.remoteAddress,
    remoteIpFromSocket: true,
    remotePort: socket?.remotePort,
    callerName: callerNameHeaders.length === 0 ? undefined : callerNameFrom(request.headers, callerNameHeaders),
    component: 'node-http',
  });
  setServerSpan(request, span);
  return span;
}

/** Bound to the dispatch: the store the request listeners run with. */
function onDispatch(message: ServerRequestMessage): Span | null {
  try {
    const context = active;
    const span = context === null ? undefined : startSpan(context, message.request);
    // Untraced (no tracer yet): leave the context as it is.
    return span === undefined ? spanStore.getStore() ?? null : span;
  } catch (error) {
    fault(error);
    return spanStore.getStore() ?? null;
  }
}

/** Bound to later events of the request and the response: back into the request's span. */
function onRequestEvent(message: ServerRequestMessage): Span | null {
  const span = serverSpanOf(message.request);
  return span === undefined ? spanStore.getStore() ?? null : span;
}

const scope: RequestScope<Span | null> = { store: spanStore, enter: onDispatch, reenter: onRequestEvent };

function onDispatchError(message: unknown): void {
  try {
    const { request, error } = message as ServerRequestMessage;
    const span = serverSpanOf(request);
    if (span != null) recordServerError(span, error);
  } catch (error) {
    fault(error);
  }
}

/** A request or response closed before the response finished: the client left before the reply. */
function onClose(message: unknown): void {
  try {
    const { request, response } = message as ServerRequestMessage;
    const span = serverSpanOf(request);
    if (span == null || !span.isRecording) return;
    const socket = request.socket as IncomingMessage['socket'] | null;
    if (response.destroyed || socket === null || socket.destroyed) {
      finishAbortedServerSpan(span, response.headersSent ? response.statusCode : undefined);
    }
  } catch (error) {
    fault(error);
  }
}

function onResponseFinish(message: unknown): void {
  try {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const span = serverSpanOf(request);
    if (span != null) finishServerSpan(span, response.statusCode);
  } catch (error) {
    fault(error);
  }
}

export const httpServerIntegration: Integration = {
  name: NAME,
  enable(context: IntegrationContext): boolean {
    callerNameHeaders = context.options.callerNameHeaders.map((name) => name.toLowerCase());
    if (active !== null) {
      active = context;
      return true;
    }
    active = context;
    bindRequestScope(scope);
    requestErrorChannel.subscribe(onDispatchError);
    requestCloseChannel.subscribe(onClose);
    diagnosticsChannel.subscribe(HTTP_SERVER_RESPONSE_FINISH, onResponseFinish);
    installHttpServerHook();
    return true;
  },
  disable(): void {
    if (active === null) return;
    active = null;
    uninstallHttpServerHook();
    bindRequestScope(null);
    requestErrorChannel.unsubscribe(onDispatchError);
    requestCloseChannel.unsubscribe(onClose);
    diagnosticsChannel.unsubscribe(HTTP_SERVER_RESPONSE_FINISH, onResponseFinish);
  },
};
