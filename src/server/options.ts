import { globalTracer } from '../tracer/global.js';
import { FaultLog } from '../tracer/logger.js';
import type { Tracer } from '../tracer/tracer.js';
import { checkHeaderNames, checkUrlMatchers } from '../semantics/url-matchers.js';
import type { UrlMatcher } from '../semantics/url-matchers.js';

/** Options of the explicit adapters (`expressMiddleware`, `koaMiddleware`, `fastifyPlugin`). */
export interface ServerTracingOptions {
  /** Tracer to report to; default: the global tracer (from `initTracer`) at each request. */
  tracer?: Tracer;
  /** Requests not traced: a string matches the path exactly, a RegExp the path with query. */
  ignorePaths?: UrlMatcher[];
  /** Request headers naming the calling service, recorded as `peer.service`. */
  callerNameHeaders?: string[];
}

export interface ResolvedServerOptions {
  tracer(): Tracer | null;
  readonly ignorePaths: readonly UrlMatcher[];
  /** Lower case. */
  readonly callerNameHeaders: readonly string[];
  /** Reports a fault of the adapter `adapter` once through the tracer's fault log; the request goes on. */
  fault(adapter: string, error: unknown): void;
}

const faultsWithoutTracer = new FaultLog();

/** Validates once, when the adapter is created: a wrong option is a TypeError naming it. */
export function resolveServerOptions(options: ServerTracingOptions | undefined): ResolvedServerOptions {
  const { tracer, ignorePaths, callerNameHeaders } = options ?? {};
  if (tracer !== undefined && (tracer === null || typeof tracer.startSpan !== 'function')) {
    throw new TypeError('tracer must be a Tracer (from initTracer)');
  }
  const resolved: ResolvedServerOptions = {
    tracer: () => {
      const chosen = tracer ?? globalTracer();
      return chosen === null || chosen.disabled ? null : chosen;
    },
    ignorePaths: checkUrlMatchers('ignorePaths', ignorePaths),
    callerNameHeaders: checkHeaderNames('callerNameHeaders', callerNameHeaders),
    fault(adapter: string, error: unknown): void {
      (resolved.tracer()?.faults ?? faultsWithoutTracer).report(`${adapter} adapter`, error);
    },
  };
  return resolved;
}
