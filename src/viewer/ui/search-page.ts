// The search page: Jaeger's filters, a duration-over-time scatter plot and the matching traces.
import type { ViewerSpan } from '../model.js';
import { isErrorSpan } from '../model.js';
import type { StoredTrace } from '../store.js';
import { colorsFor, esc, formatDuration, formatTime } from './html.js';

export interface SearchForm {
  service: string;
  operation: string;
  tags: string;
  minDuration: string;
  maxDuration: string;
  lookback: string;
  limit: string;
  errorsOnly: boolean;
}

export const LOOKBACKS: [string, string, number][] = [
  ['all', 'Everything stored', 0], ['5m', 'Last 5 minutes', 3e8], ['15m', 'Last 15 minutes', 9e8],
  ['1h', 'Last hour', 3.6e9], ['6h', 'Last 6 hours', 2.16e10], ['24h', 'Last 24 hours', 8.64e10],
];

interface TraceSummary {
  traceID: string;
  root: ViewerSpan;
  start: number;
  duration: number;
  spans: number;
  errors: number;
  services: [string, number][];
}

export function summarise(trace: StoredTrace): TraceSummary {
  const ids = trace.spanIds;
  let root = trace.spans[0]!;
  let errors = 0;
  const services = new Map<string, number>();
  for (const span of trace.spans) {
    const isRoot = span.parentSpanID === '' || !ids.has(span.parentSpanID);
    const rootIsRoot = root.parentSpanID === '' || !ids.has(root.parentSpanID);
    if ((isRoot && !rootIsRoot) || (isRoot === rootIsRoot && span.startTime < root.startTime)) root = span;
    if (isErrorSpan(span)) errors++;
    services.set(span.process.serviceName, (services.get(span.process.serviceName) ?? 0) + 1);
  }
  return { traceID: trace.traceID, root, start: trace.start, duration: trace.end - trace.start, spans: trace.spans.length, errors, services: [...services].sort((a, b) => a[0].localeCompare(b[0])) };
}

function options(values: readonly string[], selected: string, empty: string): string {
  return [`<option value="">${esc(empty)}</option>`, ...values.map((v) => `<option${v === selected ? ' selected' : ''}>${esc(v)}</option>`)].join('');
}

function scatter(summaries: readonly TraceSummary[]): string {
  if (summaries.length === 0) return '';
  const width = 1200;
  const height = 150;
  const pad = { left: 64, right: 14, top: 14, bottom: 24 };
  const t0 = Math.min(...summaries.map((s) => s.start));
  const t1 = Math.max(...summaries.map((s) => s.start));
  const dMax = Math.max(...summaries.map((s) => s.duration), 1);
  const x = (t: number): number => pad.left + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (width - pad.left - pad.right);
  const y = (d: number): number => height - pad.bottom - (d / dMax) * (height - pad.top - pad.bottom);
  const points = summaries.map((s) => {
    const r = Math.min(9, 3 + Math.sqrt(s.spans));
    return `<a href="/trace/${s.traceID}"><circle class="pt${s.errors > 0 ? ' bad' : ''}" cx="${x(s.start).toFixed(1)}" cy="${y(s.duration).toFixed(1)}" r="${r.toFixed(1)}"><title>${esc(`${s.root.process.serviceName}: ${s.root.operationName} · ${formatDuration(s.duration)} · ${s.spans} spans`)}</title></circle></a>`;
  });
  const axis = `<line class="axis" x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}"/><line class="axis" x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}"/>`;
  const labels = `<text x="${pad.left - 6}" y="${pad.top + 8}" text-anchor="end">${formatDuration(dMax)}</text><text x="${pad.left - 6}" y="${height - pad.bottom}" text-anchor="end">0</text>` +
    `<text x="${pad.left}" y="${height - 6}">${esc(formatTime(t0).slice(11, 23))}</text><text x="${width - pad.right}" y="${height - 6}" text-anchor="end">${esc(formatTime(t1).slice(11, 23))}</text>`;
  return `<svg class="scatter" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Trace durations over time">${axis}${labels}${points.join('')}</svg>`;
}

export function searchBody(form: SearchForm, serviceNames: readonly string[], operationNames: readonly string[], traces: readonly StoredTrace[], now: number): string {
  const summaries = traces.map(summarise);
  const colors = colorsFor(serviceNames);
  const lookbacks = LOOKBACKS.map(([value, label]) => `<option value="${value}"${value === form.lookback ? ' selected' : ''}>${label}</option>`).join('');
  const formHtml = `<form class="search" method="get" action="/search" role="search">
<label>Service<select name="service" id="service">${options(serviceNames, form.service, 'All services')}</select></label>
<label>Operation<select name="operation" id="operation">${options(operationNames, form.operation, 'All operations')}</select></label>
<label>Tags<input name="tags" value="${esc(form.tags)}" placeholder="http.status_code=500 error=true" size="26"></label>
<label>Min duration<input name="minDuration" value="${esc(form.minDuration)}" placeholder="e.g. 1.2s, 100ms" size="9"></label>
<label>Max duration<input name="maxDuration" value="${esc(form.maxDuration)}" placeholder="e.g. 2s" size="9"></label>
<label>Lookback<select name="lookback">${lookbacks}</select></label>
<label>Limit<input name="limit" type="number" min="1" max="1500" value="${esc(form.limit)}" style="width:5em"></label>
<label style="flex-direction:row;align-items:center;gap:4px"><input type="checkbox" name="errorsOnly" value="1"${form.errorsOnly ? ' checked' : ''}>Errors only</label>
<button class="primary" type="submit">Find traces</button></form>`;
  const items = summaries.map((s) => {
    const chips = s.services.map(([name, count]) => `<span class="svc"><span class="chip" style="--c:${colors.get(name) ?? '#888'}"></span>${esc(name)} (${count})</span>`).join('');
    const ago = Math.max(0, Math.round((now - s.start) / 1e6));
    return `<li class="result" data-trace-id="${s.traceID}"><div class="head"><a href="/trace/${s.traceID}"><strong>${esc(s.root.process.serviceName)}: ${esc(s.root.operationName)}</strong> <span class="muted">${s.traceID.slice(0, 8)}</span></a><span>${formatDuration(s.duration)}</span></div>
<div class="head"><span>${s.spans} span${s.spans === 1 ? '' : 's'}${s.errors > 0 ? ` · <span class="err">${s.errors} error${s.errors === 1 ? '' : 's'}</span>` : ''} · ${chips}</span><span class="muted" title="${esc(formatTime(s.start))}">${ago < 120 ? `${ago}s ago` : esc(formatTime(s.start))}</span></div></li>`;
  });
  const results = summaries.length === 0
    ? `<p class="muted">No traces match. Send spans to the viewer (UDP 6831/6832, HTTP 14268 <code>/api/traces</code>, OTLP 4318 <code>/v1/traces</code>) or widen the search.</p>`
    : `${scatter(summaries)}<h2>${summaries.length} trace${summaries.length === 1 ? '' : 's'}</h2><ul class="results">${items.join('')}</ul>`;
  return `<h1>Search</h1>${formHtml}${results}`;
}

// Keeps the operation list in step with the chosen service, and `/` jumps to the form.
export const SEARCH_SCRIPT = `
const svc=document.getElementById('service'),op=document.getElementById('operation');
svc.addEventListener('change',async()=>{op.length=1;if(!svc.value)return;
const r=await fetch('/api/services/'+encodeURIComponent(svc.value)+'/operations');const j=await r.json();
for(const name of j.data){const o=document.createElement('option');o.textContent=name;op.append(o);}});
document.addEventListener('keydown',e=>{if(e.key==='/'&&!/INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName)){e.preventDefault();svc.focus();}});
`;
