// Server spans for node:http and node:https. The request listeners run inside the span through
// the scope bound to the hook (one `run()` of our store per request, scoped: nothing leaks into
// the connection or the next request, unlike `enterWith` from `http.server.request.start`); the
// span finishes on Node's own `http.server.response.finish` channel, or when the connection closes
// first.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { spanStore } from '../tracer/active-context.js';
import type { Span } from '../tracer/span.js';
import { HOOK_HTTP_SERVER_REQUEST_CLOSE, HOOK_HTTP_SERVER_REQUEST_ERROR, HTTP_SERVER_RESPONSE_FINISH } from '../hooks/channels.js';
import { bindRequestScope, installHttpServerHook, uninstallHttpServerHook } from '../hooks/http-server.js';
import type { RequestScope, ServerRequestMessage } from '../hooks/http-server.js';
import {
  finishAbortedServerSpan, finishServerSpan, recordServerError, serverSpanOf, startNodeServerSpan,
} from '../semantics/server-span.js';
import type { NodeRequestTracing } from '../semantics/server-span.js';
import type { Integration, IntegrationContext } from './integration.js';
import type { IntegrationTools } from './lifecycle.js';
import { defineIntegration } from './lifecycle.js';

const NAME = 'http-server';

let active: { context: IntegrationContext; tracing: NodeRequestTracing; tools: IntegrationTools } | null = null;

function startSpan(request: IncomingMessage): Span | null | undefined {
  const known = serverSpanOf(request);
  if (known !== undefined || active === null) return known;
  const tracer = active.context.tracer();
  if (tracer === null) return undefined;
  return startNodeServerSpan(tracer, request, active.tracing, 'node-http');
}

/** Bound to the dispatch: the store the request listeners run with. */
function onDispatch(message: ServerRequestMessage): Span | null {
  try {
    const span = startSpan(message.request);
    // Untraced (no tracer yet): leave the context as it is.
    return span === undefined ? spanStore.getStore() ?? null : span;
  } catch (error) {
    // The hook's scope must return a store whatever happens: the fault is reported, not thrown.
    active?.tools.fault(error);
    return spanStore.getStore() ?? null;
  }
}

/** Bound to later events of the request and the response: back into the request's span. */
function onRequestEvent(message: ServerRequestMessage): Span | null {
  const span = serverSpanOf(message.request);
  return span === undefined ? spanStore.getStore() ?? null : span;
}

const scope: RequestScope<Span | null> = { store: spanStore, enter: onDispatch, reenter: onRequestEvent };

function onDispatchError({ request, error }: ServerRequestMessage): void {
  const span = serverSpanOf(request);
  if (span != null) recordServerError(span, error);
}

/** A request or response closed before the response finished: the client left before the reply. */
function onClose({ request, response }: ServerRequestMessage): void {
  const span = serverSpanOf(request);
  if (span == null || !span.isRecording) return;
  const socket = request.socket as IncomingMessage['socket'] | null;
  if (response.destroyed || socket === null || socket.destroyed) {
    finishAbortedServerSpan(span, response.headersSent ? response.statusCode : undefined);
  }
}

function onResponseFinish({ request, response }: { request: IncomingMessage; response: ServerResponse }): void {
  const span = serverSpanOf(request);
  if (span != null) finishServerSpan(span, response.statusCode);
}

export const httpServerIntegration: Integration = defineIntegration({
  name: NAME,
  setup(context, tools) {
    return {
      channels: [
        { channel: HOOK_HTTP_SERVER_REQUEST_ERROR, handler: onDispatchError },
        { channel: HOOK_HTTP_SERVER_REQUEST_CLOSE, handler: onClose },
        { channel: HTTP_SERVER_RESPONSE_FINISH, handler: onResponseFinish },
      ],
      patches: [() => {
        const { ignorePaths, callerNameHeaders } = context.options;
        active = { context, tracing: { ignorePaths, callerNameHeaders: callerNameHeaders.map((name) => name.toLowerCase()) }, tools };
        bindRequestScope(scope);
        installHttpServerHook();
        return () => {
          active = null;
          uninstallHttpServerHook();
          bindRequestScope(null);
        };
      }],
    };
  },
});
