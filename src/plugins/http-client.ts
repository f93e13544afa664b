// node:http and node:https client spans. A span starts when the request is created (Node's
// `http.client.request.created`, or our hook's twin on older Nodes), in the caller's context, and
// ends when the request closes or fails: every path of a ClientRequest ends in 'close' or an
// error. The request's own callbacks and events are left in the caller's context.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { HTTP_CLIENT_REQUEST_ERROR } from '../hooks/channels.js';
import { disableHttpClientHook, enableHttpClientHook, requestCreatedChannel } from '../hooks/http-client.js';
import { isInternal } from '../tracer/internal-requests.js';
import type { Span } from '../tracer/span.js';
import { finishClientSpan, tagClientSpan, traceHeaders } from '../semantics/client-span.js';
import type { ClientTarget } from '../semantics/client-span.js';
import { isIgnoredUrl } from '../semantics/url-matchers.js';
import type { Integration, IntegrationContext } from './integration.js';
import { defineIntegration } from './lifecycle.js';

const NAME = 'http-client';
const COMPONENT = 'node-http';

// Properties Node has that @types/node does not declare.
type Request = ClientRequest & { agent?: unknown; res: IncomingMessage | null };

// The span of a request in flight, on the request itself: cheaper than a WeakMap entry, which
// costs the garbage collector work for every request.
const CLIENT_SPAN = Symbol('opentracing-async-instrumentation.clientSpan');
type Pending = { [CLIENT_SPAN]?: Span | undefined };
let errorOn4xx = false;

/**
 * The port in a Host header (`host`, `host:port`, `[v6]:port`) if it names `hostname` (any case),
 * else `fallback`. Scanned by hand: `lastIndexOf` and `slice` cost more here than the whole scan.
 */
export function portOf(hostHeader: string, hostname: string, fallback: number): number {
  let i = hostHeader.length - 1;
  let port = 0;
  let scale = 1;
  for (; i >= 0; i--) {
    const code = hostHeader.charCodeAt(i);
    if (code < 48 || code > 57) break;
    port += (code - 48) * scale;
    scale *= 10;
  }
  // No `:digits` at the end: a bare host, `[v6]`, `host:`.
  if (i < 0 || hostHeader.charCodeAt(i) !== 58 /* : */ || scale === 1) return fallback;
  if (!namesHost(hostHeader, i, hostname)) return fallback;
  return port > 0 && port < 65536 ? port : fallback;
}

/** Whether `header.slice(0, end)`, brackets taken off, is `hostname` in any case. */
function namesHost(header: string, end: number, hostname: string): boolean {
  let start = 0;
  if (header.charCodeAt(0) === 91 /* [ */) {
    start = 1;
    end--;
  }
  if (Math.max(0, end - start) !== hostname.length) return false;
  return header.startsWith(hostname, start) || header.slice(start, end).toLowerCase() === hostname.toLowerCase();
}

/** Method, URL and peer of a request, read from the request itself (the same on every Node). */
function targetOf(req: Request): ClientTarget {
  const hostname = req.host;
  const defaultPort = (req.agent as { defaultPort?: number } | undefined)?.defaultPort ??
    (req.protocol === 'https:' ? 443 : 80);
  const hostHeader = req.getHeader('host');
  let port = defaultPort;
  let authority: string;
  if (typeof hostHeader === 'string' && hostHeader !== '') {
    authority = hostHeader;
    port = portOf(hostHeader, hostname, defaultPort);
  } else {
    authority = hostname.includes(':') ? `[${hostname}]` : hostname;
  }
  const path = req.path;
  // A request through an HTTP proxy carries the absolute URL as its path.
  const url = path.startsWith('http://') || path.startsWith('https://') ? path : `${req.protocol}//${authority}${path}`;
  return { method: req.method, url, hostname, port };
}

function onCreated(context: IntegrationContext, req: Request): void {
  const tracer = context.tracer();
  if (tracer === null || isInternal(req.agent)) return;
  // The URL and peer are read only for `ignoreUrls` and for a span that records: most are not
  // sampled, and reading them was a quarter of what an unsampled request cost here.
  const ignoreUrls = context.options.ignoreUrls;
  const target = ignoreUrls.length > 0 ? targetOf(req) : null;
  if (target !== null && isIgnoredUrl(ignoreUrls, target.url, req.path)) return;
  const span = tracer.startSpan(req.method);
  if (span.isRecording) tagClientSpan(span, COMPONENT, target ?? targetOf(req));
  // Headers given as a raw array (or with `Expect`) are already written: nothing can be added.
  if (!req.headersSent) {
    const headers = traceHeaders(tracer, span);
    for (let i = 0; i < headers.length; i += 2) req.setHeader(headers[i]!, headers[i + 1]!);
  }
  // Finishing a span that does not record does nothing: no listener is needed to end it.
  if (!span.isRecording) return;
  (req as Pending)[CLIENT_SPAN] = span;
  req.on('close', onClose);
}

/** The span of `req` if it is still open, taken off the request. */
function takeSpan(req: Request): Span | undefined {
  const span = (req as Pending)[CLIENT_SPAN];
  if (span !== undefined) (req as Pending)[CLIENT_SPAN] = undefined;
  return span;
}

function onError(req: Request, error: unknown): void {
  const span = takeSpan(req);
  if (span === undefined) return;
  finishClientSpan(span, req.res?.statusCode, error, errorOn4xx);
}

// Runs as a 'close' listener of the request: `this` is the request.
function onClose(this: Request): void {
  const span = takeSpan(this);
  if (span === undefined) return;
  finishClientSpan(span, this.res?.statusCode, closeError(this), errorOn4xx);
}

/** Why a request closed without a complete response, or undefined when it did not. */
function closeError(req: Request): unknown {
  const res: IncomingMessage | null = req.res;
  if (res !== null && res.complete) return undefined;
  // Upgrades and CONNECT hand the socket over: that is their success.
  if (res !== null && (res.statusCode === 101 || req.method === 'CONNECT')) return undefined;
  return res?.errored ?? req.socket?.errored ?? new Error(res === null ? 'request closed before a response' : 'response aborted');
}

export const httpClientIntegration: Integration = defineIntegration({
  name: NAME,
  setup(context) {
    errorOn4xx = context.options.errorOn4xx;
    return {
      channels: [
        { channel: requestCreatedChannel, handler: (message: { request: Request }) => onCreated(context, message.request) },
        { channel: HTTP_CLIENT_REQUEST_ERROR, handler: (message: { request: Request; error: unknown }) => onError(message.request, message.error) },
      ],
      patches: [() => {
        enableHttpClientHook();
        return disableHttpClientHook;
      }],
    };
  },
});
