// Tracing a server this package ships no adapter for — node:http2's core API — with only the
// public API: a request wrapper, `beforeRequest`, `tracer.withSpan` and `afterResponse`.
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { AbstractRequestWrapper, afterResponse, beforeRequest } from 'opentracing-async-instrumentation/server';
import type { Tracer } from 'opentracing-async-instrumentation';

/** Turns a request path into a route template for the span name, e.g. `/users/7` → `/users/:id`. */
export type RouteOf = (path: string) => string | undefined;

export class Http2RequestWrapper extends AbstractRequestWrapper {
  constructor(
    private readonly stream: ServerHttp2Stream,
    private readonly requestHeaders: IncomingHttpHeaders,
    private readonly routeOf: RouteOf = () => undefined,
  ) {
    super();
    this.component = 'node-http2';
    this.callerNameHeaders = ['x-caller'];
  }

  get method(): string {
    return String(this.requestHeaders[':method'] ?? 'GET');
  }

  get fullUrl(): string {
    return String(this.requestHeaders[':path'] ?? '/');
  }

  header(name: string): string | undefined {
    const value = this.requestHeaders[name.toLowerCase()];
    return Array.isArray(value) ? value.join(',') : value;
  }

  get remoteIp(): string | undefined {
    return this.stream.session?.socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.stream.session?.socket.remotePort;
  }

  get serverPort(): number | undefined {
    return this.stream.session?.socket.localPort;
  }

  override get operation(): string {
    const route = this.routeOf(this.fullUrl.split('?')[0]!);
    return route === undefined ? this.method : `${this.method} ${route}`;
  }

  // HTTP/2 gives us every header, so Jaeger's `uberctx-*` baggage headers are seen too.
  override headers(): Record<string, string> {
    const carrier: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.requestHeaders)) {
      if (!name.startsWith(':') && value !== undefined) carrier[name] = Array.isArray(value) ? value.join(',') : value;
    }
    return carrier;
  }
}

export type StreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => unknown;

/**
 * Wraps a `'stream'` handler: each stream gets a server span (continuing the caller's trace),
 * the handler and everything it starts run with that span active, and the span finishes when the
 * stream closes, with the `:status` that was sent.
 */
export function traceStreams(handler: StreamHandler, options: { tracer?: Tracer; routeOf?: RouteOf } = {}): StreamHandler {
  return (stream, headers) => {
    const span = beforeRequest(new Http2RequestWrapper(stream, headers, options.routeOf), options.tracer);
    let failure: unknown;
    stream.once('error', (error) => {
      failure = error;
    });
    stream.once('close', () => {
      const status = Number(stream.sentHeaders?.[':status']);
      afterResponse(span, Number.isFinite(status) ? status : undefined, failure);
    });
    return span.tracer().withSpan(span, () => handler(stream, headers));
  };
}
