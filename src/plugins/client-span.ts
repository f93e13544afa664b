// What every HTTP client plugin shares: the span's shape, trace headers, and how it ends.
import { isIP } from 'node:net';
import type { Span } from '../tracer/span.js';
import type { Tracer } from '../tracer/tracer.js';
import type { UrlMatcher } from './integration.js';
import { redactUrl } from './redact-url.js';

/** Where a client request goes; `url` is the full URL as sent (redacted only when tagged). */
export interface ClientTarget {
  method: string;
  url: string;
  hostname: string;
  port: number;
}

/**
 * `net.isIP`, without its regular expressions for what cannot be an IP: an IPv6 address has a
 * colon, an IPv4 one only digits and dots (host names such as `api.example.com` end here).
 */
function ipVersionOf(hostname: string): number {
  if (hostname.includes(':')) return isIP(hostname);
  for (let i = 0; i < hostname.length; i++) {
    const code = hostname.charCodeAt(i);
    if (code !== 46 /* . */ && (code < 48 || code > 57)) return 0;
  }
  return isIP(hostname);
}

/**
 * A span named for the method, with the OpenTracing client tags: a child of `parent` when given
 * (null: a root span), else of the active span.
 */
export function startClientSpan(tracer: Tracer, component: string, target: ClientTarget, parent?: Span | null): Span {
  const span = parent === undefined
    ? tracer.startSpan(target.method)
    : tracer.startSpan(target.method, { childOf: parent, ignoreActiveSpan: true });
  if (span.isRecording) tagClientSpan(span, component, target);
  return span;
}

/** The OpenTracing client tags, on a span that records. */
export function tagClientSpan(span: Span, component: string, target: ClientTarget): void {
  span._appendTag('span.kind', 'client');
  span._appendTag('component', component);
  span._appendTag('http.method', target.method);
  // Most URLs have neither userinfo nor a query: nothing to redact.
  const url = target.url;
  span._appendTag('http.url', url.includes('?') || url.includes('@') ? redactUrl(url) : url);
  span._appendTag('peer.hostname', target.hostname);
  span._appendTag('peer.port', target.port);
  const ipVersion = ipVersionOf(target.hostname);
  if (ipVersion === 4) span._appendTag('peer.ipv4', target.hostname);
  else if (ipVersion === 6) span._appendTag('peer.ipv6', target.hostname);
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

/** `ignoreUrls`: a string matches a URL prefix or the exact path, a RegExp the full URL. */
export function isIgnoredUrl(matchers: readonly UrlMatcher[], url: string, path: string): boolean {
  for (const matcher of matchers) {
    if (typeof matcher === 'string') {
      if (url.startsWith(matcher) || pathWithoutQuery(path) === matcher) return true;
    } else {
      matcher.lastIndex = 0; // a /g or /y RegExp keeps state between calls
      if (matcher.test(url)) return true;
    }
  }
  return false;
}

function pathWithoutQuery(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

/** `[::1]` → `::1`; other host names unchanged. */
export function unbracket(hostname: string): string {
  return hostname.charCodeAt(0) === 91 /* [ */ && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
