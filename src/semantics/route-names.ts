// Naming a server span after the route a framework matched (`GET /users/:id`, `http.route`), and
// where each framework leaves that route. Express's templates are worked out in express-routes.ts.
import type { Span } from '../tracer/span.js';
import { recordServerError, serverSpanOf } from './server-span.js';

// `GET /users/:id` per (route, method), made once: every request of a route then names its span
// with the same flat string instead of concatenating (and the encoder flattening) a new one.
// Bounded in routes, methods per route and route length: beyond, names are just concatenated.
const MAX_ROUTE_NAMES = 2000;
const MAX_KEPT_ROUTE_LENGTH = 256;
const MAX_METHODS_PER_ROUTE = 16;
const routeNames = new Map<string, Map<string, string>>();

function routeName(method: string, route: string): string {
  let byMethod = routeNames.get(route);
  if (byMethod === undefined) {
    if (routeNames.size >= MAX_ROUTE_NAMES || route.length > MAX_KEPT_ROUTE_LENGTH) return `${method} ${route}`;
    routeNames.set(route, (byMethod = new Map()));
  }
  let name = byMethod.get(method);
  if (name === undefined) {
    name = `${method} ${route}`;
    if (byMethod.size < MAX_METHODS_PER_ROUTE) byMethod.set(method, name);
  }
  return name;
}

/** Names the span after the route template a framework matched, e.g. `GET /users/:id`. */
export function setServerRoute(span: Span, method: string, route: string, component?: string): void {
  if (!span.isRecording || route === '') return;
  span.setOperationName(routeName(method, route));
  span.setTag('http.route', route);
  if (component !== undefined) span.setTag('component', component);
}

/** The route template a Koa router (@koa/router, koa-router) left on the context, if any. */
function koaRoute(context: object): string | undefined {
  const route = (context as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof route === 'string') return route;
  return route instanceof RegExp ? String(route) : undefined;
}

export function nameKoaRoute(context: { readonly method?: string }, span: Span): void {
  const route = koaRoute(context);
  if (route !== undefined) setServerRoute(span, typeof context.method === 'string' ? context.method : 'GET', route, 'koa');
}

/** The parts of a Fastify request route naming reads (Fastify 4 and 5). */
export interface FastifyRequestLike {
  readonly raw: object;
  readonly method: string;
  readonly routeOptions?: { readonly url?: string };
}

/** Names the request's server span after its Fastify route template. */
export function nameFastifyRoute(request: { readonly raw: object; readonly method: string }, url: string | undefined): void {
  const span = serverSpanOf(request.raw);
  if (span != null && url !== undefined) setServerRoute(span, request.method, url, 'fastify');
}

export function recordFastifyError(request: { readonly raw: object }, error: unknown): void {
  const span = serverSpanOf(request.raw);
  if (span != null) recordServerError(span, error);
}
