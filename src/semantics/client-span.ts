// What every client span shares (HTTP clients here; databases build on it in database-span.ts):
// the span's shape, trace headers, and how it ends.
import { spanStore } from '../tracer/active-context.js';
import type { Span } from '../tracer/span.js';
import type { Tracer } from '../tracer/tracer.js';
import { tagPeerIp } from './peer.js';
import { redactUrl } from './redact-url.js';

/** Where a client request goes; `url` is the full URL as sent (redacted only when tagged). */
export interface ClientTarget {
  method: string;
  url: string;
  hostname: string;
  port: number;
}

/**
 * A span named `operation`, tagged `span.kind=client` and `component`: a child of `parent` when
 * given (null: a root span), else of the active span. The base of every client span.
 */
export function startClientSpanNamed(tracer: Tracer, operation: string, component: string, parent?: Span | null): Span {
  const span = parent === undefined
    ? tracer.startSpan(operation)
    : tracer.startSpan(operation, { childOf: parent, ignoreActiveSpan: true });
  if (span.isRecording) {
    span._appendTag('span.kind', 'client');
    span._appendTag('component', component);
  }
  return span;
}

/**
 * A span named for the method, with the OpenTracing client tags: a child of `parent` when given
 * (null: a root span), else of the active span.
 */
export function startClientSpan(tracer: Tracer, component: string, target: ClientTarget, parent?: Span | null): Span {
  const span = parent === undefined
    ? tracer.startSpan(target.method)
    : tracer.startSpan(target.method, { childOf: parent, ignoreActiveSpan: true });
  if (span.isRecording) tagClientSpan(span, component, target, parent);
  return span;
}

const pathsHidden = new WeakSet<Span>();
let hidingPaths = false;

/**
 * HTTP client spans made under `span` record their URL without path or query: an S3 request's
 * path holds the object key, which is recorded only when the user opts in.
 */
export function hideChildUrlPaths(span: Span): void {
  hidingPaths = true;
  pathsHidden.add(span);
}

/** `scheme://authority/REDACTED`: the URL with its path and query (and any userinfo) left out. */
function withoutPath(url: string): string {
  const authority = url.indexOf('//');
  const pathStart = authority === -1 ? -1 : url.indexOf('/', authority + 2);
  const origin = pathStart === -1 ? url : url.slice(0, pathStart);
  return `${redactUrl(origin)}/REDACTED`;
}

/**
 * The OpenTracing HTTP client tags, on a span that records; `parent` is the span it was started
 * under (default: the active span).
 */
export function tagClientSpan(span: Span, component: string, target: ClientTarget, parent?: Span | null): void {
  span._appendTag('span.kind', 'client');
  span._appendTag('component', component);
  span._appendTag('http.method', target.method);
  const url = target.url;
  const under = hidingPaths ? (parent === undefined ? spanStore.getStore() : parent) : null;
  if (under != null && pathsHidden.has(under)) span._appendTag('http.url', withoutPath(url));
  // Most URLs have neither userinfo nor a query: nothing to redact.
  else span._appendTag('http.url', url.includes('?') || url.includes('@') ? redactUrl(url) : url);
  span._appendTag('peer.hostname', target.hostname);
  span._appendTag('peer.port', target.port);
  tagPeerIp(span, target.hostname, 'hostname');
}

/** The trace headers for `span` in the tracer's configured formats, as [name, value, ...]. */
export function traceHeaders(tracer: Tracer, span: Span): readonly string[] {
  return tracer._traceHeaders(span);
}

export function isErrorStatus(statusCode: number, errorOn4xx: boolean): boolean {
  return statusCode >= 500 || (errorOn4xx && statusCode >= 400);
}

/** Ends a span with the response status (if any) and the failure (if any). */
export function finishClientSpan(span: Span, statusCode: number | undefined, error: unknown, errorOn4xx: boolean): void {
  if (span.isRecording) {
    if (statusCode !== undefined && statusCode > 0) {
      span.setTag('http.status_code', statusCode);
      if (isErrorStatus(statusCode, errorOn4xx)) span.setTag('error', true);
    }
    if (error !== undefined) span.recordError(error);
  }
  span.finish();
}
