// Per service and operation over the stored window: count, error rate and duration percentiles.
import type { OperationStats } from '../query.js';
import { esc, formatDuration } from './html.js';

export function operationsBody(stats: readonly OperationStats[], service: string, serviceNames: readonly string[]): string {
  const shown = service === '' ? stats : stats.filter((s) => s.service === service);
  const options = ['<option value="">All services</option>', ...serviceNames.map((s) => `<option${s === service ? ' selected' : ''}>${esc(s)}</option>`)].join('');
  const rows = shown.map((s) => {
    const rate = s.errors / s.count;
    return `<tr><td>${esc(s.service)}</td><td><a href="/search?service=${encodeURIComponent(s.service)}&amp;operation=${encodeURIComponent(s.operation)}">${esc(s.operation)}</a></td><td class="num">${s.count}</td>` +
      `<td class="num${s.errors > 0 ? ' err' : ''}">${(rate * 100).toFixed(1)}%</td><td class="num">${formatDuration(s.p50)}</td><td class="num">${formatDuration(s.p95)}</td><td class="num">${formatDuration(s.p99)}</td></tr>`;
  });
  return `<h1>Operations</h1><form class="search" method="get" action="/operations"><label>Service<select name="service" onchange="this.form.submit()">${options}</select></label><noscript><button>Show</button></noscript></form>
<table class="grid ops"><thead><tr><th>Service</th><th>Operation</th><th class="num">Spans</th><th class="num">Errors</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="7" class="muted">No spans stored.</td></tr>'}</tbody></table>`;
}
