import { globalTracer } from '../tracer/global.js';
import type { Tracer } from '../tracer/tracer.js';
import type { UrlMatcher } from '../plugins/integration.js';

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
}

/** Validates once, when the adapter is created: a wrong option is a TypeError naming it. */
export function resolveServerOptions(options: ServerTracingOptions | undefined): ResolvedServerOptions {
  const { tracer, ignorePaths = [], callerNameHeaders = [] } = options ?? {};
  if (tracer !== undefined && (tracer === null || typeof tracer.startSpan !== 'function')) {
    throw new TypeError('tracer must be a Tracer (from initTracer)');
  }
  if (!Array.isArray(ignorePaths) || !ignorePaths.every((m) => typeof m === 'string' || m instanceof RegExp)) {
    throw new TypeError('ignorePaths must be an array of strings and RegExps');
  }
  if (!Array.isArray(callerNameHeaders) || !callerNameHeaders.every((h) => typeof h === 'string')) {
    throw new TypeError('callerNameHeaders must be an array of strings');
  }
  return {
    tracer: () => {
      const chosen = tracer ?? globalTracer();
      return chosen === null || chosen.disabled ? null : chosen;
    },
    ignorePaths: [...ignorePaths],
    callerNameHeaders: callerNameHeaders.map((h) => h.toLowerCase()),
  };
}
