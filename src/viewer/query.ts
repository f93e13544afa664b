// Questions asked of the store: search (Jaeger's query parameters), services and operations, the
// service dependency graph, per-operation statistics, and the trace in Jaeger's JSON shape.
import type { KeyValue, SpanProcess, ViewerSpan } from './model.js';
import { isErrorSpan } from './model.js';
import type { StoredTrace, TraceStore } from './store.js';

export interface SearchQuery {
  service?: string;
  operation?: string;
  /** Every pair must match a span tag or process tag (as strings). */
  tags?: Record<string, string>;
  /** Microseconds. */
  minDuration?: number;
  maxDuration?: number;
  /** Microseconds since the epoch: the trace must start within. */
  start?: number;
  end?: number;
  errorsOnly?: boolean;
  limit?: number;
}

function matchesTags(span: ViewerSpan, tags: Record<string, string>): boolean {
  const keys = Object.keys(tags);
  const has = (list: readonly KeyValue[], key: string): boolean => list.some((kv) => kv.key === key && String(kv.value) === tags[key]);
  return keys.every((key) => has(span.tags, key) || has(span.process.tags, key) || span.logs.some((log) => has(log.fields, key)));
}

function spanMatches(span: ViewerSpan, q: SearchQuery): boolean {
  if (q.service !== undefined && q.service !== '' && span.process.serviceName !== q.service) return false;
  if (q.operation !== undefined && q.operation !== '' && span.operationName !== q.operation) return false;
  if (q.minDuration !== undefined && span.duration < q.minDuration) return false;
  if (q.maxDuration !== undefined && span.duration > q.maxDuration) return false;
  if (q.errorsOnly === true && !isErrorSpan(span)) return false;
  return q.tags === undefined || matchesTags(span, q.tags);
}

/** Newest traces first, each with at least one span matching every condition, as Jaeger's search. */
export function searchTraces(store: TraceStore, q: SearchQuery): StoredTrace[] {
  const limit = q.limit !== undefined && q.limit > 0 ? q.limit : 20;
  const out: StoredTrace[] = [];
  for (const trace of store.newestFirst()) {
    if (q.start !== undefined && trace.start < q.start) continue;
    if (q.end !== undefined && trace.start > q.end) continue;
    if (trace.spans.some((span) => spanMatches(span, q))) {
      out.push(trace);
      if (out.length >= limit) break;
    }
  }
  return out;
}

export function services(store: TraceStore): string[] {
  const names = new Set<string>();
  for (const trace of store.all()) for (const span of trace.spans) names.add(span.process.serviceName);
  return [...names].sort();
}

export function operations(store: TraceStore, service: string): { name: string; spanKind: string }[] {
  const seen = new Map<string, string>();
  for (const trace of store.all()) {
    for (const span of trace.spans) {
      if (span.process.serviceName !== service || seen.has(span.operationName)) continue;
      const kind = span.tags.find((tag) => tag.key === 'span.kind')?.value;
      seen.set(span.operationName, typeof kind === 'string' ? kind : '');
    }
  }
  return [...seen].sort((a, b) => a[0].localeCompare(b[0])).map(([name, spanKind]) => ({ name, spanKind }));
}

export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
  /** Calls whose child span is marked as an error. */
  errorCount: number;
}

/** Service edges from parent/child spans in different services (both sides seen). */
export function dependencies(store: TraceStore, sinceMicros = 0): DependencyLink[] {
  const links = new Map<string, DependencyLink>();
  for (const trace of store.all()) {
    if (trace.end < sinceMicros) continue;
    const byId = new Map<string, ViewerSpan>();
    for (const span of trace.spans) byId.set(span.spanID, span);
    for (const span of trace.spans) {
      const parent = span.parentSpanID === '' ? undefined : byId.get(span.parentSpanID);
      if (parent === undefined || parent.process.serviceName === span.process.serviceName) continue;
      const key = `${parent.process.serviceName}\u0000${span.process.serviceName}`;
      let link = links.get(key);
      if (link === undefined) {
        link = { parent: parent.process.serviceName, child: span.process.serviceName, callCount: 0, errorCount: 0 };
        links.set(key, link);
      }
      link.callCount++;
      if (isErrorSpan(span)) link.errorCount++;
    }
  }
  return [...links.values()].sort((a, b) => a.parent.localeCompare(b.parent) || a.child.localeCompare(b.child));
}

export interface OperationStats {
  service: string;
  operation: string;
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function operationStats(store: TraceStore): OperationStats[] {
  const groups = new Map<string, { service: string; operation: string; durations: number[]; errors: number }>();
  for (const trace of store.all()) {
    for (const span of trace.spans) {
      const key = `${span.process.serviceName}\u0000${span.operationName}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { service: span.process.serviceName, operation: span.operationName, durations: [], errors: 0 };
        groups.set(key, group);
      }
      group.durations.push(span.duration);
      if (isErrorSpan(span)) group.errors++;
    }
  }
  return [...groups.values()]
    .map((g) => {
      const sorted = g.durations.sort((a, b) => a - b);
      return { service: g.service, operation: g.operation, count: sorted.length, errors: g.errors, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
    })
    .sort((a, b) => a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  flags: number;
  operationName: string;
  references: ViewerSpan['references'];
  startTime: number;
  duration: number;
  tags: KeyValue[];
  logs: ViewerSpan['logs'];
  processID: string;
  warnings: null;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, SpanProcess>;
  warnings: null;
}

function sameProcess(a: SpanProcess, b: SpanProcess): boolean {
  if (a === b) return true;
  if (a.serviceName !== b.serviceName || a.tags.length !== b.tags.length) return false;
  return a.tags.every((tag, i) => tag.key === b.tags[i]!.key && tag.value === b.tags[i]!.value);
}

/** A trace as Jaeger's query API returns it: spans name their process by id (p1, p2, …). */
export function jaegerTrace(trace: StoredTrace): JaegerTrace {
  const processes: Record<string, SpanProcess> = {};
  const known: [SpanProcess, string][] = [];
  const spans = [...trace.spans].sort((a, b) => a.startTime - b.startTime).map((span): JaegerSpan => {
    let processID = known.find(([process]) => sameProcess(process, span.process))?.[1];
    if (processID === undefined) {
      processID = `p${known.length + 1}`;
      known.push([span.process, processID]);
      processes[processID] = { serviceName: span.process.serviceName, tags: span.process.tags };
    }
    return {
      traceID: span.traceID, spanID: span.spanID, flags: span.flags, operationName: span.operationName, references: span.references,
      startTime: span.startTime, duration: span.duration, tags: span.tags, logs: span.logs, processID, warnings: null,
    };
  });
  return { traceID: trace.traceID, spans, processes, warnings: null };
}

/** Jaeger's duration strings (`1.5s`, `300ms`, `20us`, `2m`); microseconds, or undefined. */
export function parseDuration(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || text.trim() === '') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|h)?\s*$/.exec(text);
  if (match === null) return undefined;
  const units: Record<string, number> = { us: 1, µs: 1, ms: 1e3, s: 1e6, m: 6e7, h: 3.6e9 };
  return Number(match[1]) * units[match[2] ?? 'us']!;
}
