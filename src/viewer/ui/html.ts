// Small helpers every page uses: escaping, durations, service colours and the page shell.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Microseconds, as a person reads them. */
export function formatDuration(micros: number): string {
  if (micros < 1000) return `${Math.round(micros)}µs`;
  if (micros < 1e6) return `${(micros / 1000).toFixed(micros < 1e4 ? 2 : 1)}ms`;
  return `${(micros / 1e6).toFixed(micros < 1e7 ? 2 : 1)}s`;
}

export function formatTime(micros: number): string {
  const date = new Date(micros / 1000);
  // A sender's timestamp can be anything; Date throws on what it cannot print.
  if (Number.isNaN(date.getTime())) return `${micros}µs since the epoch`;
  return date.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

// Distinct in light and dark themes; a service keeps its colour by its place in the sorted list.
export const PALETTE = ['#3b82f6', '#f59e0b', '#10b981', '#a855f7', '#ec4899', '#14b8a6', '#f97316', '#6366f1', '#84cc16', '#06b6d4'];

export function serviceColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

export function colorsFor(services: readonly string[]): Map<string, string> {
  return new Map([...new Set(services)].sort().map((name, i) => [name, serviceColor(i)]));
}

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--panel:#f6f8fa;--accent:#0969da;--err:#cf222e;--cp:#1f2328;--hover:#eef2f6;--sel:#ddf4ff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--panel:#161b22;--accent:#4493f8;--err:#f85149;--cp:#f0f6fc;--hover:#1c2330;--sel:#1f3a5f}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
header.top{display:flex;gap:20px;align-items:center;padding:8px 16px;border-bottom:1px solid var(--line);background:var(--panel);position:sticky;top:0;z-index:5}
header.top .brand{font-weight:600;color:var(--fg)}
header.top nav a{margin-right:14px;color:var(--muted)}header.top nav a.on{color:var(--fg);font-weight:600}
header.top .stats{margin-left:auto;color:var(--muted);font-size:12px}
main{padding:16px}
h1{font-size:18px;margin:0 0 8px}h2{font-size:15px;margin:16px 0 8px}
.muted{color:var(--muted)}.err{color:var(--err)}
table.grid{border-collapse:collapse;width:100%}
table.grid th,table.grid td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
table.grid td.num,table.grid th.num{text-align:right;font-variant-numeric:tabular-nums}
form.search{display:flex;flex-wrap:wrap;gap:10px;align-items:end;padding:12px;border:1px solid var(--line);border-radius:6px;background:var(--panel)}
form.search label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}
input,select,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:4px 6px}
button{cursor:pointer}button.primary{background:var(--accent);color:#fff;border-color:var(--accent)}
.chip{display:inline-block;width:10px;height:10px;border-radius:2px;background:var(--c);margin-right:5px;vertical-align:-1px}
.results{list-style:none;padding:0;margin:0}
.results li{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:8px 12px}
.results li:hover{background:var(--hover)}
.results .head{display:flex;justify-content:space-between;gap:12px}
.results .svc{margin-right:12px;font-size:12px}
svg text{fill:var(--muted);font-size:11px}
svg .axis{stroke:var(--line)}
svg circle.pt{fill:var(--accent);fill-opacity:.65;stroke:var(--accent)}svg circle.pt.bad{fill:var(--err);stroke:var(--err)}
`;

export interface Shell {
  title: string;
  active: 'search' | 'trace' | 'dependencies' | 'operations';
  stats: string;
  body: string;
  css?: string;
  script?: string;
}

export function page(shell: Shell): string {
  const link = (href: string, name: Shell['active'], label: string): string =>
    `<a href="${href}"${shell.active === name ? ' class="on" aria-current="page"' : ''}>${label}</a>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(shell.title)}</title><style>${CSS}${shell.css ?? ''}</style></head><body>
<header class="top"><a class="brand" href="/">Trace viewer</a><nav>${link('/search', 'search', 'Search')}${link('/dependencies', 'dependencies', 'Dependencies')}${link('/operations', 'operations', 'Operations')}</nav><span class="stats">${esc(shell.stats)}</span></header>
<main>${shell.body}</main>${shell.script !== undefined ? `<script>${shell.script}</script>` : ''}</body></html>`;
}
