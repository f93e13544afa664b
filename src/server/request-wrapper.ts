// For servers we do not ship an adapter for: describe the request with a small wrapper, start
// its span with `beforeRequest`, run the handler with `tracer.withSpan(span, ...)`, and finish
// with `afterResponse(span, statusCode)`.
import { initTracer } from '../config/init.js';
import { TRACE_HEADER_NAMES } from '../propagation/carrier.js';
import { globalTracer } from '../tracer/global.js';
import type { Span } from '../tracer/span.js';
import type { Tracer } from '../tracer/tracer.js';
import { finishServerSpan, startServerSpan } from '../semantics/server-span.js';

/** The headers every supported trace format reads (W3C, Jaeger, B3), for `headers()`' default. */
export { TRACE_HEADER_NAMES };

/**
 * One incoming request of any server, as `beforeRequest` needs it (the seed's
 * `AbstractRequestWrapper`). Implement the six abstract members; `operation`, `callerName` and
 * `headers()` have defaults you may override.
 */
export abstract class AbstractRequestWrapper {
  /** Headers naming the calling service, checked in order by the default `callerName`. */
  callerNameHeaders: readonly string[] = [];
  /** The `component` tag: the server's name. */
  component = 'custom-server';

  /** The HTTP method, e.g. `GET`. */
  abstract get method(): string;
  /** The URL as requested: a path with query (`/users/1?x=2`) or an absolute URL. Redacted when tagged. */
  abstract get fullUrl(): string;
  /** A request header's value (name in any case), or undefined. */
  abstract header(name: string): string | undefined;
  /** The client's IP address, if known. */
  abstract get remoteIp(): string | undefined;
  /** The client's port, if known. */
  abstract get remotePort(): number | undefined;
  /** The port the server received the request on, if known. */
  abstract get serverPort(): number | undefined;

  /** The server span's operation name; default the method. */
  get operation(): string {
    return this.method;
  }

  /** The calling service (`peer.service`): the first of `callerNameHeaders` present. */
  get callerName(): string | undefined {
    for (const name of this.callerNameHeaders) {
      const value = this.header(name);
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  }

  /**
   * The headers trace context is extracted from. The default asks `header()` for each trace
   * header; override it when your server can list all headers (Jaeger's `uberctx-*` baggage
   * headers can only be found that way).
   */
  headers(): Record<string, string> {
    const carrier: Record<string, string> = {};
    for (const name of TRACE_HEADER_NAMES) {
      const value = this.header(name);
      if (value !== undefined) carrier[name] = value;
    }
    return carrier;
  }
}

let noopTracer: Tracer | null = null;

function tracerFor(tracer: Tracer | undefined): Tracer {
  const chosen = tracer ?? globalTracer();
  if (chosen !== null) return chosen;
  // No tracer yet: spans that record nothing, so the server works the same without tracing.
  return (noopTracer ??= initTracer({ serviceName: 'untraced', disable: true, global: false }));
}

/**
 * Starts the server span of a request: a child of the trace context in its headers (a new trace
 * when there is none or it is malformed), with the OpenTracing server tags. `tracer` defaults to
 * the global tracer. Run the handler with the span active through `tracer.withSpan(span, fn)`,
 * then call `afterResponse`. Never throws.
 */
export function beforeRequest(request: AbstractRequestWrapper, tracer?: Tracer): Span {
  const chosen = tracerFor(tracer);
  try {
    return startServerSpan(chosen, {
      method: request.method,
      url: request.fullUrl,
      headers: request.headers(),
      remoteIp: request.remoteIp,
      remotePort: request.remotePort,
      callerName: request.callerName,
      component: request.component,
      operation: request.operation,
    });
  } catch (error) {
    // A wrapper whose getters throw still gets a span, so the handler's code path stays the same.
    chosen.faults.report('beforeRequest', error);
    return chosen.startSpan('request', { ignoreActiveSpan: true });
  }
}

/**
 * Finishes a server span with the response's status (`error=true` from 500 on) and, if given,
 * the error that failed the request. Calling it again does nothing.
 */
export function afterResponse(span: Span, statusCode: number | undefined, error?: unknown): void {
  if (!span.isRecording) return;
  if (error !== undefined && error !== null) span.recordError(error);
  finishServerSpan(span, statusCode);
}
