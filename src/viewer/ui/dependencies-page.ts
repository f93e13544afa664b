// The service graph: services in columns by their distance from the callers that nobody calls,
// edges as curves labelled with call counts and error rates.
import type { DependencyLink } from '../query.js';
import { colorsFor, esc } from './html.js';

function columns(services: readonly string[], links: readonly DependencyLink[]): Map<string, number> {
  const level = new Map(services.map((s) => [s, 0]));
  // Longest-path levels, bounded by the number of services so cycles end.
  for (let round = 0; round < services.length; round++) {
    let changed = false;
    for (const link of links) {
      if (link.parent === link.child) continue;
      const next = level.get(link.parent)! + 1;
      if (next > level.get(link.child)! && next < services.length) {
        level.set(link.child, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return level;
}

export function dependenciesBody(links: readonly DependencyLink[]): string {
  if (links.length === 0) return '<h1>Dependencies</h1><p class="muted">No calls between services yet: the graph needs a parent span in one service and its child in another.</p>';
  const services = [...new Set(links.flatMap((l) => [l.parent, l.child]))].sort();
  const colors = colorsFor(services);
  const level = columns(services, links);
  const byColumn = new Map<number, string[]>();
  for (const s of services) {
    const col = level.get(s)!;
    byColumn.set(col, [...(byColumn.get(col) ?? []), s]);
  }
  const nodeW = 150;
  const nodeH = 36;
  const gapX = 190;
  const gapY = 70;
  const maxRows = Math.max(...[...byColumn.values()].map((c) => c.length));
  const width = byColumn.size * (nodeW + gapX) - gapX + 40;
  const height = maxRows * gapY + 40;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [col, names] of byColumn) {
    names.forEach((name, i) => pos.set(name, { x: 20 + col * (nodeW + gapX), y: 20 + (height - 40 - names.length * gapY) / 2 + i * gapY + (gapY - nodeH) / 2 }));
  }
  const edges = links.map((link) => {
    const a = pos.get(link.parent)!;
    const b = pos.get(link.child)!;
    const rate = link.errorCount / link.callCount;
    const cls = link.errorCount > 0 ? 'edge bad' : 'edge';
    const label = `${link.callCount} call${link.callCount === 1 ? '' : 's'}${link.errorCount > 0 ? ` · ${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}% errors` : ''}`;
    if (link.parent === link.child) {
      const x = a.x + nodeW / 2;
      return `<g class="${cls}" data-parent="${esc(link.parent)}" data-child="${esc(link.child)}"><path d="M${x - 20},${a.y} C${x - 40},${a.y - 45} ${x + 40},${a.y - 45} ${x + 20},${a.y}" marker-end="url(#arrow)"/><text x="${x}" y="${a.y - 40}" text-anchor="middle">${label}</text></g>`;
    }
    const forward = b.x > a.x;
    const x1 = forward ? a.x + nodeW : a.x + nodeW / 2;
    const y1 = forward ? a.y + nodeH / 2 : a.y + nodeH;
    const x2 = forward ? b.x : b.x + nodeW / 2;
    const y2 = forward ? b.y + nodeH / 2 : b.y;
    const mx = (x1 + x2) / 2;
    const path = forward ? `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 4},${y2}` : `M${x1},${y1} C${x1 + 60},${(y1 + y2) / 2} ${x2 + 60},${(y1 + y2) / 2} ${x2},${y2 - 4}`;
    return `<g class="${cls}" data-parent="${esc(link.parent)}" data-child="${esc(link.child)}"><path d="${path}" marker-end="url(#arrow)"/><text x="${mx}" y="${(y1 + y2) / 2 - 6}" text-anchor="middle">${label}</text></g>`;
  });
  const nodes = services.map((name) => {
    const p = pos.get(name)!;
    return `<g class="node" data-service="${esc(name)}"><a href="/search?service=${encodeURIComponent(name)}"><rect x="${p.x}" y="${p.y}" width="${nodeW}" height="${nodeH}" rx="6" style="--c:${colors.get(name)}"/><text x="${p.x + nodeW / 2}" y="${p.y + nodeH / 2 + 4}" text-anchor="middle">${esc(name.length > 20 ? name.slice(0, 19) + '…' : name)}</text></a></g>`;
  });
  const svg = `<svg class="graph" viewBox="0 0 ${width} ${height}" width="${Math.min(width, 1400)}" role="img" aria-label="Service dependency graph">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>${edges.join('')}${nodes.join('')}</svg>`;
  const rows = links.map((l) => `<tr><td>${esc(l.parent)}</td><td>${esc(l.child)}</td><td class="num">${l.callCount}</td><td class="num${l.errorCount > 0 ? ' err' : ''}">${l.errorCount} (${((l.errorCount / l.callCount) * 100).toFixed(1)}%)</td></tr>`);
  return `<h1>Dependencies</h1><p class="muted">Calls from a span in one service to a child span in another, over every stored trace.</p>${svg}
<h2>Edges</h2><table class="grid deps"><thead><tr><th>Caller</th><th>Callee</th><th class="num">Calls</th><th class="num">Errors</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export const DEPENDENCIES_CSS = `
svg.graph{display:block;max-width:100%;height:auto}
svg.graph .node rect{fill:var(--panel);stroke:var(--c);stroke-width:2}
svg.graph .node text{fill:var(--fg);font-size:13px;font-weight:600}
svg.graph .edge path{fill:none;stroke:var(--muted);stroke-width:1.5}
svg.graph .edge.bad path{stroke:var(--err)}svg.graph .edge.bad text{fill:var(--err)}
svg.graph .edge text{font-size:12px}
`;
