import type { Span } from '../tracer/span.js';

const BAR_WIDTH = 30;
const MAX_NAME_WIDTH = 48;

interface Node {
  span: Span;
  children: Node[];
}

export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${Math.round(ms * 1000)} µs`;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function bar(span: Span, traceStart: number, traceLength: number): string {
  if (traceLength <= 0) return '█'.repeat(BAR_WIDTH);
  const offset = Math.min(BAR_WIDTH - 1, Math.floor(((span.startTime - traceStart) / traceLength) * BAR_WIDTH));
  const length = Math.max(1, Math.min(BAR_WIDTH - offset, Math.round((span.duration / traceLength) * BAR_WIDTH)));
  return ' '.repeat(offset) + '█'.repeat(length) + ' '.repeat(BAR_WIDTH - offset - length);
}

const MAX_DETAIL_WIDTH = 80;

function isError(span: Span): boolean {
  const error = span.getTag('error');
  return error === true || error === 'true';
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const shown = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return shown.length > MAX_DETAIL_WIDTH ? `${shown.slice(0, MAX_DETAIL_WIDTH - 1)}…` : shown;
}

/** The message of the span's first error log, if any. */
function errorMessage(span: Span): string | undefined {
  for (const log of span.logs ?? []) {
    if (log.fields['event'] === 'error') return text(log.fields['message'] ?? log.fields['error.object']);
  }
  return undefined;
}

/**
 * The tags worth a glance, compactly: status, URL (or statement), peer, and the error message,
 * e.g. `200 · /items/42 · peer 10.0.0.7:51234` or `error: connect ECONNREFUSED`.
 */
function details(span: Span): string {
  const parts: string[] = [];
  const status = text(span.getTag('http.status_code'));
  if (status !== undefined) parts.push(status);
  const target = text(span.getTag('http.url') ?? span.getTag('db.statement'));
  if (target !== undefined) parts.push(target);
  const host = text(span.getTag('peer.hostname') ?? span.getTag('peer.ipv4') ?? span.getTag('peer.ipv6'));
  const port = text(span.getTag('peer.port'));
  const service = text(span.getTag('peer.service'));
  // A client span's URL already names the host it went to.
  if (host !== undefined && (target === undefined || !target.includes(host))) parts.push(`peer ${port === undefined ? host : `${host}:${port}`}`);
  if (service !== undefined) parts.push(`from ${service}`);
  if (isError(span)) parts.push(`error${errorMessage(span) === undefined ? '' : `: ${errorMessage(span)!}`}`);
  return parts.length === 0 ? '' : `  ${parts.join(' · ')}`;
}

/** Builds the trees of one trace: spans whose parent is not among them are roots. */
function trees(spans: readonly Span[]): Node[] {
  const nodes = new Map<string, Node>();
  for (const span of spans) nodes.set(span.context().toSpanId(), { span, children: [] });
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.context().parentSpanId();
    const parent = parentId === null ? undefined : nodes.get(parentId);
    if (parent === undefined || parent === node) roots.push(node);
    else parent.children.push(node);
  }
  const byStart = (a: Node, b: Node): number => a.span.startTime - b.span.startTime;
  for (const node of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}

function formatTrace(traceId: string, spans: readonly Span[], serviceName: string): string {
  let start = Infinity;
  let end = -Infinity;
  for (const span of spans) {
    start = Math.min(start, span.startTime);
    end = Math.max(end, span.startTime + span.duration);
  }
  const length = end - start;
  const rows: [string, Span][] = [];
  const visit = (node: Node, depth: number): void => {
    rows.push([`${'  '.repeat(depth)}${node.span.operationName}`, node.span]);
    for (const child of node.children) visit(child, depth + 1);
  };
  for (const root of trees(spans)) visit(root, 0);
  const nameWidth = Math.min(MAX_NAME_WIDTH, rows.reduce((max, [label]) => Math.max(max, label.length), 0));
  const count = spans.length === 1 ? '1 span' : `${spans.length} spans`;
  const lines = [`trace ${traceId} · ${serviceName} · ${count} · ${formatDuration(length)}`];
  for (const [label, span] of rows) {
    lines.push(`  ${fit(label, nameWidth)} |${bar(span, start, length)}| ${formatDuration(span.duration).padStart(9)}${details(span)}`);
  }
  return lines.join('\n');
}

/**
 * Renders finished spans as one indented tree per trace (in order of first appearance), each span
 * with its duration and a bar showing where it falls within the trace.
 */
export function formatTraces(spans: readonly Span[], serviceName: string): string {
  const byTrace = new Map<string, Span[]>();
  for (const span of spans) {
    const traceId = span.context().toTraceId();
    const group = byTrace.get(traceId);
    if (group === undefined) byTrace.set(traceId, [span]);
    else group.push(span);
  }
  const out: string[] = [];
  for (const [traceId, group] of byTrace) out.push(formatTrace(traceId, group, serviceName));
  // Every trace ends with a blank line, so traces from different flushes are spaced like those of one.
  return out.length === 0 ? '' : `${out.join('\n\n')}\n\n`;
}
