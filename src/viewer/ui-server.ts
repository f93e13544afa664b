// Port 16686: Jaeger's query API (JSON) and the web pages. Pages are built on the server from the
// store on each request; nothing is cached, so what is shown is what is stored.
import type http from 'node:http';
import { isHexId, normalTraceId } from './model.js';
import { dependencies, jaegerTrace, operationStats, operations, parseDuration, searchTraces, services } from './query.js';
import type { SearchQuery } from './query.js';
import type { TraceStore } from './store.js';
import { esc, page } from './ui/html.js';
import { DEPENDENCIES_CSS, dependenciesBody } from './ui/dependencies-page.js';
import { operationsBody } from './ui/operations-page.js';
import { LOOKBACKS, SEARCH_SCRIPT, searchBody } from './ui/search-page.js';
import type { SearchForm } from './ui/search-page.js';
import { TRACE_CSS, TRACE_SCRIPT, traceBody } from './ui/trace-page.js';

export interface UiContext {
  store: TraceStore;
  /** Counters and ports, served as /api/stats and summarised in the page header. */
  stats(): Record<string, unknown>;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function html(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

const envelope = (data: unknown, errors: unknown = null): object => ({ data, total: Array.isArray(data) ? data.length : 0, limit: 0, offset: 0, errors });

/** Jaeger's `tags` parameter is a JSON object; `tag=key:value` may repeat; the UI's field is `k=v k2=v2`. */
function tagsFrom(params: URLSearchParams): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  const raw = params.get('tags');
  if (raw !== null && raw.trim() !== '') {
    if (raw.trim().startsWith('{')) {
      try {
        const parsed = JSON.parse(raw) as Record<string, unknown>;
        for (const [k, v] of Object.entries(parsed)) tags[k] = String(v);
      } catch {
        // an unreadable filter matches nothing rather than everything
        tags['\u0000'] = '';
      }
    } else {
      for (const pair of raw.trim().split(/\s+/)) {
        const eq = pair.indexOf('=');
        if (eq > 0) tags[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"|"$/g, '');
      }
    }
  }
  for (const pair of params.getAll('tag')) {
    const colon = pair.indexOf(':');
    if (colon > 0) tags[pair.slice(0, colon)] = pair.slice(colon + 1);
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

function queryFrom(params: URLSearchParams, now: number): SearchQuery {
  const number = (name: string): number | undefined => {
    const value = params.get(name);
    const n = value === null || value === '' ? NaN : Number(value);
    return Number.isFinite(n) ? n : undefined;
  };
  let start = number('start');
  const lookback = params.get('lookback');
  const window = LOOKBACKS.find(([value]) => value === lookback)?.[2] ?? 0;
  if (start === undefined && window > 0) start = now - window;
  return {
    service: params.get('service') ?? undefined,
    operation: params.get('operation') ?? undefined,
    tags: tagsFrom(params),
    minDuration: parseDuration(params.get('minDuration')),
    maxDuration: parseDuration(params.get('maxDuration')),
    start,
    end: number('end'),
    errorsOnly: params.get('errorsOnly') === '1' || params.get('errorsOnly') === 'true',
    limit: Math.min(number('limit') ?? 20, 1500),
  };
}

function statsLine(stats: Record<string, unknown>): string {
  return `${String(stats['storedSpans'])} spans in ${String(stats['storedTraces'])} traces · ${String(stats['receivedSpans'])} received · ${String(stats['malformed'])} malformed`;
}

export function uiHandler(ctx: UiContext): http.RequestListener {
  return (req, res) => {
    try {
      route(ctx, req, res);
    } catch (error) {
      if (!res.headersSent) json(res, 500, envelope(null, [{ code: 500, msg: String(error) }]));
      else res.destroy();
    }
  };
}

function route(ctx: UiContext, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, envelope(null, [{ code: 405, msg: 'use GET' }]));
  const url = new URL(req.url ?? '/', 'http://viewer');
  const path = url.pathname;
  const params = url.searchParams;
  const { store } = ctx;
  const now = Date.now() * 1000;
  let match: RegExpExecArray | null;

  if (path === '/api/services') return json(res, 200, envelope(services(store)));
  if ((match = /^\/api\/services\/([^/]+)\/operations$/.exec(path)) !== null) {
    return json(res, 200, envelope(operations(store, decodeURIComponent(match[1]!)).map((op) => op.name)));
  }
  if (path === '/api/operations') return json(res, 200, envelope(operations(store, params.get('service') ?? '')));
  if (path === '/api/traces') return json(res, 200, envelope(searchTraces(store, queryFrom(params, now)).map(jaegerTrace)));
  if ((match = /^\/api\/traces\/([0-9a-fA-F]{1,32})$/.exec(path)) !== null) {
    const trace = store.get(normalTraceId(match[1]!));
    if (trace === undefined) return json(res, 404, envelope(null, [{ code: 404, msg: 'trace not found' }]));
    const headers: Record<string, string> = params.has('download') ? { 'content-disposition': `attachment; filename="trace-${trace.traceID}.json"` } : {};
    return json(res, 200, envelope([jaegerTrace(trace)]), headers);
  }
  if (path === '/api/dependencies') {
    const endTs = Number(params.get('endTs'));
    const lookback = Number(params.get('lookback'));
    const since = Number.isFinite(endTs) && Number.isFinite(lookback) && lookback > 0 ? (endTs - lookback) * 1000 : 0;
    return json(res, 200, envelope(dependencies(store, since)));
  }
  if (path === '/api/operations/stats') return json(res, 200, envelope(operationStats(store)));
  if (path === '/api/stats') return json(res, 200, ctx.stats());

  const stats = statsLine(ctx.stats());
  if (path === '/' || path === '/search') {
    const form: SearchForm = {
      service: params.get('service') ?? '', operation: params.get('operation') ?? '', tags: params.get('tags') ?? '',
      minDuration: params.get('minDuration') ?? '', maxDuration: params.get('maxDuration') ?? '', lookback: params.get('lookback') ?? 'all',
      limit: params.get('limit') ?? '20', errorsOnly: params.get('errorsOnly') === '1',
    };
    const ops = form.service === '' ? [] : operations(store, form.service).map((op) => op.name);
    const body = searchBody(form, services(store), ops, searchTraces(store, queryFrom(params, now)), now);
    return html(res, 200, page({ title: 'Search · trace viewer', active: 'search', stats, body, script: SEARCH_SCRIPT }));
  }
  if ((match = /^\/trace\/([0-9a-fA-F]{1,32})$/.exec(path)) !== null && isHexId(match[1]!, 32)) {
    const trace = store.get(normalTraceId(match[1]!));
    if (trace === undefined) {
      return html(res, 404, page({ title: 'Trace not found', active: 'trace', stats, body: `<h1>Trace ${esc(match[1])} not found</h1><p class="muted">It may have been evicted, or its spans have not arrived yet.</p>` }));
    }
    const title = `Trace ${trace.traceID.slice(0, 8)} · trace viewer`;
    return html(res, 200, page({ title, active: 'trace', stats, body: traceBody(trace), css: TRACE_CSS, script: TRACE_SCRIPT }));
  }
  if (path === '/dependencies') {
    return html(res, 200, page({ title: 'Dependencies · trace viewer', active: 'dependencies', stats, body: dependenciesBody(dependencies(store)), css: DEPENDENCIES_CSS }));
  }
  if (path === '/operations') {
    const body = operationsBody(operationStats(store), params.get('service') ?? '', services(store));
    return html(res, 200, page({ title: 'Operations · trace viewer', active: 'operations', stats, body }));
  }
  if (path.startsWith('/api/')) return json(res, 404, envelope(null, [{ code: 404, msg: 'no such endpoint' }]));
  return html(res, 404, page({ title: 'Not found', active: 'search', stats, body: '<h1>Not found</h1><p><a href="/">Search traces</a></p>' }));
}
