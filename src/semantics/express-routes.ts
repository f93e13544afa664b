// The route template of an Express request, e.g. `/api/users/:id`, from the layers it runs
// through. Express gives each layer only its own path (`/api`, then `/users/:id`) and keeps the
// concrete prefix in `req.baseUrl` (`/api`); so each router entered records, on the request, its
// concrete base and its template. Works for Express 4 (through our hook) and 5 (its own channel).

const MOUNTS = Symbol.for('opentracing-async-instrumentation.expressMounts');

interface Mount {
  /** The layers of the router entered; null for a mounted sub-app (whose stack we cannot see). */
  readonly stack: readonly unknown[] | null;
  /** `req.baseUrl` inside it (concrete: `/orgs/42`). */
  readonly base: string;
  /** Its template (`/orgs/:org`); '' at the top. */
  readonly template: string;
}

export interface RoutedRequest {
  baseUrl?: string;
  route?: unknown;
  [MOUNTS]?: Mount[];
}

export function patternText(pattern: unknown): string | undefined {
  if (typeof pattern === 'string') return pattern;
  if (pattern instanceof RegExp) return String(pattern);
  return undefined;
}

function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/** `base` + `path`, one slash between them; a mount at `/` adds nothing. */
function joinMount(base: string, path: string): string {
  if (path === '' || path === '/') return base;
  return trimSlash(base) + (path.startsWith('/') ? trimSlash(path) : `/${trimSlash(path)}`);
}

/** The full template of a route handler's path inside a router whose template is `base`. */
export function joinRoute(base: string, path: string): string {
  const joined = joinMount(base, path);
  return joined === '' ? '/' : joined;
}

function isRouter(handler: unknown): handler is { stack: unknown[] } {
  return typeof handler === 'function' && Array.isArray((handler as { stack?: unknown }).stack);
}

function isMountedApp(handler: unknown): boolean {
  return typeof handler === 'function' && handler.name === 'mounted_app';
}

/** The template of the router whose stack holds `layer` (top level: ''). */
function templateHolding(mounts: readonly Mount[] | undefined, layer: unknown, base: string): string {
  if (mounts === undefined) return '';
  for (let i = mounts.length - 1; i >= 0; i--) {
    const mount = mounts[i]!;
    if (mount.stack !== null && mount.stack.includes(layer)) return mount.template;
  }
  // Not in any router we saw: the top of the app, or of a sub-app mounted at `base`.
  return templateAt(mounts, base, true);
}

/** The template of the innermost router entered at concrete base `base` (the latest wins). */
function templateAt(mounts: readonly Mount[] | undefined, base: string, appsOnly = false): string {
  if (mounts === undefined || base === '') return '';
  for (let i = mounts.length - 1; i >= 0; i--) {
    const mount = mounts[i]!;
    if (mount.base === base && (!appsOnly || mount.stack === null)) return mount.template;
  }
  return '';
}

/**
 * Called for each layer about to run. Returns the full route template when the layer is a route
 * handler (a layer of a Route, which has `method`), else undefined; records routers entered.
 */
export function routeOfLayer(req: RoutedRequest, layer: object, handler: unknown, pattern: unknown): string | undefined {
  const path = patternText(pattern);
  if (path === undefined) return undefined;
  const base = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  if ('method' in layer) return joinRoute(templateAt(req[MOUNTS], base), path);
  if (!isRouter(handler) && !isMountedApp(handler)) return undefined;
  const mounts = (req[MOUNTS] ??= []);
  const parent = path === '/' ? templateAt(mounts, base) : templateHolding(mounts, layer, parentBaseGuess(mounts, base));
  mounts.push({ stack: isRouter(handler) ? handler.stack : null, base, template: joinMount(parent, path) });
  return undefined;
}

/** For a sub-app's own mounts: the base of the latest sub-app entered that is a prefix of `base`. */
function parentBaseGuess(mounts: readonly Mount[], base: string): string {
  for (let i = mounts.length - 1; i >= 0; i--) {
    const mount = mounts[i]!;
    if (mount.stack === null && mount.base !== base && base.startsWith(mount.base)) return mount.base;
  }
  return '';
}
