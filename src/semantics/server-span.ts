// What a server span looks like, for the automatic instrumentation and the explicit adapters
// alike: where it is kept on the request, how it starts (parent from the headers), the errors it
// records and how it finishes.
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import type { IncomingMessage } from 'node:http';
import type { Span } from '../tracer/span.js';
import type { SpanContext } from '../tracer/span-context.js';
import type { Tracer } from '../tracer/tracer.js';
import { tagPeerIp } from './peer.js';
import { redactPath, redactUrl } from './redact-url.js';
import { isIgnoredPath } from './url-matchers.js';
import type { UrlMatcher } from './url-matchers.js';

/**
 * Where the server span of a request is kept: on the request object, under a key shared by the ESM
 * and CommonJS builds. `null` means "seen and deliberately not traced" (an ignored path), so an
 * explicit middleware behind the automatic instrumentation does not start a second span.
 */
const SERVER_SPAN: unique symbol = Symbol.for('opentracing-async-instrumentation.serverSpan');

interface TracedRequest {
  [SERVER_SPAN]?: Span | null;
}

/** The server span of `request`: a Span, null (ignored) or undefined (not seen). */
export function serverSpanOf(request: object): Span | null | undefined {
  return (request as TracedRequest)[SERVER_SPAN];
}

export function setServerSpan(request: object, span: Span | null): void {
  (request as TracedRequest)[SERVER_SPAN] = span;
}

/** What the server span of one request is made from; every field comes from the request. */
export interface ServerRequestFields {
  method: string;
  /** Path and query (or an absolute URL); redacted before it becomes `http.url`. */
  url: string;
  /**
   * Header carrier for `tracer.extract(FORMAT_HTTP_HEADERS, ...)`, or a Node request's
   * `rawHeaders` list (read without building `req.headers`).
   */
  headers: object | readonly string[];
  remoteIp: string | undefined;
  /** True when `remoteIp` is a socket's `remoteAddress` (always an IP): no need to validate it. */
  remoteIpFromSocket?: boolean;
  remotePort: number | undefined;
  callerName: string | undefined;
  component: string;
  /** Operation name; default the method. */
  operation?: string;
}

/**
 * Where to read a Node request's trace headers: its `rawHeaders` (Node builds `req.headers` only
 * when someone reads it, which a traced request then need not pay for), else `headers`.
 */
function headerSource(request: { rawHeaders?: unknown; headers: object }): object | readonly string[] {
  return Array.isArray(request.rawHeaders) ? request.rawHeaders as readonly string[] : request.headers;
}

/** The first non-empty value among `lowerNames` in a Node-style (lowercase keys) header record. */
export function callerNameFrom(headers: Readonly<Record<string, string | string[] | undefined>>, lowerNames: readonly string[]): string | undefined {
  for (const name of lowerNames) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined && text !== '') return text;
  }
  return undefined;
}

function extractParent(tracer: Tracer, headers: object | readonly string[]): SpanContext | null {
  try {
    return Array.isArray(headers)
      ? tracer._extractRawHeaders(headers as readonly string[])
      : tracer.extract(FORMAT_HTTP_HEADERS, headers);
  } catch {
    return null;
  }
}

function urlTag(url: string): string {
  return url.charCodeAt(0) === 47 /* / */ ? redactPath(url) : redactUrl(url);
}

/**
 * Starts the server span of one request: a child of the context extracted from its headers (a new
 * root when there is none or it is malformed), never of whatever span happens to be active.
 */
export function startServerSpan(tracer: Tracer, fields: ServerRequestFields): Span {
  const parent = extractParent(tracer, fields.headers);
  const span = tracer._startSpanChildOf(fields.operation ?? fields.method, parent);
  if (!span.isRecording) return span;
  span._appendTag('span.kind', 'server');
  span._appendTag('component', fields.component);
  span._appendTag('http.method', fields.method);
  span._appendTag('http.url', urlTag(fields.url));
  tagPeerIp(span, fields.remoteIp, fields.remoteIpFromSocket === true ? 'socket' : 'address');
  if (fields.remotePort !== undefined && fields.remotePort > 0) span._appendTag('peer.port', fields.remotePort);
  if (fields.callerName !== undefined) span._appendTag('peer.service', fields.callerName);
  return span;
}

/** What decides whether and how a Node request is traced (both the plugin and the adapters have it). */
export interface NodeRequestTracing {
  readonly ignorePaths: readonly UrlMatcher[];
  /** Lower case. */
  readonly callerNameHeaders: readonly string[];
}

/**
 * The server span of a node:http request: the one it already has (from the automatic
 * instrumentation or an adapter), else a new one kept on the request; null for an ignored path
 * (remembered, so nobody starts a second span).
 */
export function startNodeServerSpan(tracer: Tracer, request: IncomingMessage, tracing: NodeRequestTracing, component: string): Span | null {
  const known = serverSpanOf(request);
  if (known !== undefined) return known;
  const url = request.url ?? '/';
  if (isIgnoredPath(tracing.ignorePaths, url)) {
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
    callerName: tracing.callerNameHeaders.length === 0 ? undefined : callerNameFrom(request.headers, tracing.callerNameHeaders),
    component,
  });
  setServerSpan(request, span);
  return span;
}

/** The HTTP status an error stands for (`status`/`statusCode` as http-errors and frameworks set it). */
export function statusOfError(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 100 && code <= 599 ? code : undefined;
}

// Which spans each error object was recorded on: spans keep only the text of an error (see
// tracer/tag-value.ts), so identity is remembered here, without keeping either alive.
const recordedOn = new WeakMap<object, WeakSet<Span>>();

/** True if `error` was recorded on `span` already; otherwise remembers that it now is. */
function alreadyRecorded(span: Span, error: unknown): boolean {
  if ((typeof error !== 'object' || error === null) && typeof error !== 'function') {
    const logs = span.logs;
    if (logs === null) return false;
    const message = String(error);
    for (const log of logs) if (log.fields['event'] === 'error' && log.fields['message'] === message) return true;
    return false;
  }
  let spans = recordedOn.get(error);
  if (spans === undefined) recordedOn.set(error, (spans = new WeakSet()));
  if (spans.has(span)) return true;
  spans.add(span);
  return false;
}

/**
 * Records a handler error on the server span, once however many layers report it. An error that
 * stands for a client error (an explicit 4xx status, like `ctx.throw(404)` or res.format's 406) is
 * a response, not a failure of the server: logged as a `client error` event with its status, and
 * the span is not marked failed.
 */
export function recordServerError(span: Span, error: unknown): void {
  if (!span.isRecording || alreadyRecorded(span, error)) return;
  const status = statusOfError(error);
  if (status === undefined || status >= 500) {
    span.recordError(error);
    return;
  }
  const fields: Record<string, unknown> = { event: 'client error', 'http.status_code': status };
  if (error instanceof Error) {
    fields['error.kind'] = error.name;
    fields.message = error.message;
  }
  span.log(fields);
}

/** Finishes the server span with the response status; `error=true` from 500 on. Idempotent. */
export function finishServerSpan(span: Span, statusCode: number | undefined): void {
  if (!span.isRecording) return;
  if (statusCode !== undefined && statusCode > 0) {
    span.setTag('http.status_code', statusCode);
    if (statusCode >= 500) span.setTag('error', true);
  }
  span.finish();
}

/**
 * Finishes the server span of a request whose connection closed before the response was complete:
 * `http.aborted=true`, and the status only if it was sent.
 */
export function finishAbortedServerSpan(span: Span, sentStatusCode: number | undefined): void {
  if (!span.isRecording) return;
  span.setTag('http.aborted', true);
  if (sentStatusCode !== undefined && sentStatusCode > 0) span.setTag('http.status_code', sentStatusCode);
  span.finish();
}
