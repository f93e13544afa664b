// Spans for requests made through undici: Node's bundled copy behind global `fetch` and the
// `undici` package (`request`, `fetch`, `Client`, `Pool`, ...). Both publish the same channels.
// `headers`, `trailers` and `error` run in the socket's async context (on a reused keep-alive
// socket, the first request's), so spans are found through the request object, never through the
// active span. `create` usually runs in the caller's context, but not when a Pool queued the
// request until a connection was free: then the parent is read from the request's handler when
// that is an AsyncResource (undici's `request`/`stream`/`pipeline` handlers are).
import { AsyncResource } from 'node:async_hooks';
import {
  UNDICI_REQUEST_CREATE, UNDICI_REQUEST_ERROR, UNDICI_REQUEST_HEADERS, UNDICI_REQUEST_TRAILERS,
} from '../hooks/channels.js';
import type { Span } from '../tracer/span.js';
import type { Tracer } from '../tracer/tracer.js';
import { finishClientSpan, startClientSpan, traceHeaders } from '../semantics/client-span.js';
import { unbracket } from '../semantics/peer.js';
import { isIgnoredUrl } from '../semantics/url-matchers.js';
import type { Integration, IntegrationContext } from './integration.js';
import { defineIntegration } from './lifecycle.js';
import { setRequestHeader } from './undici-headers.js';
import type { UndiciRequest } from './undici-headers.js';

interface Pending {
  span: Span;
  statusCode: number | undefined;
}

interface Origin {
  protocol: string;
  hostname: string;
  port: number;
}

const origins = new Map<string, Origin | null>();
// The symbol under which undici's Request keeps its handler, per Request class (ours to find).
const handlerKeys = new WeakMap<object, symbol | null>();

function handlerOf(request: UndiciRequest): unknown {
  const prototype = Object.getPrototypeOf(request) as object;
  let key = handlerKeys.get(prototype);
  if (key === undefined) {
    key = Object.getOwnPropertySymbols(request).find((symbol) => symbol.description === 'handler') ?? null;
    handlerKeys.set(prototype, key);
  }
  return key === null ? undefined : (request as unknown as Record<symbol, unknown>)[key];
}

/** The span active where the request was made, when its handler remembers; else undefined. */
function callerSpan(tracer: Tracer, request: UndiciRequest): Span | null | undefined {
  const handler = handlerOf(request);
  return handler instanceof AsyncResource ? handler.runInAsyncScope(() => tracer.activeSpan()) : undefined;
}

function parseOrigin(origin: string): Origin | null {
  let parsed = origins.get(origin);
  if (parsed !== undefined) return parsed;
  try {
    const url = new URL(origin);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    parsed = { protocol: url.protocol, hostname: unbracket(url.hostname), port };
  } catch {
    parsed = null;
  }
  if (origins.size >= 256) origins.clear(); // bounded: a service talks to few origins
  origins.set(origin, parsed);
  return parsed;
}

/**
 * An integration for the undici requests `accepts` picks (fetch or not), with `component` as its
 * component tag.
 */
export function undiciRequestsIntegration(
  name: string,
  component: string,
  accepts: (request: UndiciRequest) => boolean,
): Integration {
  const pending = new WeakMap<UndiciRequest, Pending>();
  let errorOn4xx = false;

  function onCreate(context: IntegrationContext, request: UndiciRequest): void {
    // WebSocket handshakes and CONNECT tunnels never publish an end: they are not traced.
    if (request.upgrade || request.method === 'CONNECT' || !accepts(request)) return;
    const tracer = context.tracer();
    if (tracer === null) return;
    const originText = String(request.origin);
    const origin = parseOrigin(originText);
    if (origin === null) return;
    const url = originText + request.path;
    if (context.options.ignoreUrls.length > 0 && isIgnoredUrl(context.options.ignoreUrls, url, request.path)) return;
    const target = { method: request.method, url, hostname: origin.hostname, port: origin.port };
    const span = startClientSpan(tracer, component, target, callerSpan(tracer, request));
    const headers = traceHeaders(tracer, span);
    for (let i = 0; i < headers.length; i += 2) setRequestHeader(request, headers[i]!, headers[i + 1]!);
    // Finishing a span that does not record does nothing: it needs no entry to be ended by.
    if (span.isRecording) pending.set(request, { span, statusCode: undefined });
  }

  function onHeaders(request: UndiciRequest, statusCode: number): void {
    const state = pending.get(request);
    if (state !== undefined) state.statusCode = statusCode;
  }

  function onEnd(request: UndiciRequest, error: unknown): void {
    const state = pending.get(request);
    if (state === undefined) return;
    pending.delete(request);
    finishClientSpan(state.span, state.statusCode, error, errorOn4xx);
  }

  return defineIntegration({
    name,
    setup(context) {
      errorOn4xx = context.options.errorOn4xx;
      return {
        channels: [
          { channel: UNDICI_REQUEST_CREATE, handler: (message: { request: UndiciRequest }) => onCreate(context, message.request) },
          {
            channel: UNDICI_REQUEST_HEADERS,
            handler: (message: { request: UndiciRequest; response: { statusCode: number } }) => onHeaders(message.request, message.response.statusCode),
          },
          { channel: UNDICI_REQUEST_TRAILERS, handler: (message: { request: UndiciRequest }) => onEnd(message.request, undefined) },
          {
            channel: UNDICI_REQUEST_ERROR,
            handler: (message: { request: UndiciRequest; error: unknown }) => onEnd(message.request, message.error ?? new Error('request failed')),
          },
        ],
      };
    },
  });
}
