import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '../tracer/span.js';
import { joinRoute, patternText } from '../semantics/express-routes.js';
import { setServerRoute } from '../semantics/route-names.js';
import { resolveServerOptions } from './options.js';
import type { ServerTracingOptions } from './options.js';
import { runInSpan, traceNodeRequest } from './node-request.js';

interface ExpressRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

// Without the automatic instrumentation the mount templates are unknown: the concrete base
// (`req.baseUrl`) plus the route's template is the best Express itself tells.
function nameRoute(req: ExpressRequest, span: Span): void {
  const path = patternText(req.route?.path);
  if (path !== undefined) setServerRoute(span, req.method ?? 'GET', joinRoute(req.baseUrl ?? '', path), 'express');
}

/**
 * Express middleware (4 and 5) that traces each request: `app.use(expressMiddleware())`, first.
 * The rest of the request runs with the server span active. Requests already traced by
 * `installAllPatches()` keep their one span (and get exact route templates from it).
 */
export function expressMiddleware(options?: ServerTracingOptions): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  const resolved = resolveServerOptions(options);
  return function tracingMiddleware(req, res, next) {
    let span: Span | null | undefined;
    try {
      span = traceNodeRequest(req, res, resolved, 'express', (started) => nameRoute(req as ExpressRequest, started));
    } catch (error) {
      resolved.fault('express', error);
      span = undefined;
    }
    if (span === undefined) {
      next();
      return;
    }
    runInSpan(span, next);
  };
}
