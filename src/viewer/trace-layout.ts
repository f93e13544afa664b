// A trace as the waterfall shows it: spans in depth-first order (children by start time), their
// depth, and the critical path: the chain of span segments that determined when the trace ended.
import type { ViewerSpan } from './model.js';

export interface LaidOutSpan {
  span: ViewerSpan;
  depth: number;
  /** Index of the parent row, -1 for a root (or a span whose parent never arrived). */
  parentRow: number;
  childCount: number;
}

export interface CriticalSegment {
  spanID: string;
  /** Microseconds since the epoch. */
  start: number;
  end: number;
}

export interface TraceLayout {
  rows: LaidOutSpan[];
  start: number;
  end: number;
  critical: CriticalSegment[];
  /** Spans the critical path passes through (some with no time of their own on it). */
  criticalSpans: Set<string>;
}

const byStart = (a: ViewerSpan, b: ViewerSpan): number => a.startTime - b.startTime || (a.spanID < b.spanID ? -1 : 1);

export function layoutTrace(spans: readonly ViewerSpan[]): TraceLayout {
  const ids = new Set<string>();
  for (const span of spans) ids.add(span.spanID);
  const children = new Map<string, ViewerSpan[]>();
  const roots: ViewerSpan[] = [];
  let start = Infinity;
  let end = -Infinity;
  for (const span of spans) {
    if (span.startTime < start) start = span.startTime;
    if (span.startTime + span.duration > end) end = span.startTime + span.duration;
    if (span.parentSpanID !== '' && span.parentSpanID !== span.spanID && ids.has(span.parentSpanID)) {
      let list = children.get(span.parentSpanID);
      if (list === undefined) children.set(span.parentSpanID, (list = []));
      list.push(span);
    } else roots.push(span);
  }
  for (const list of children.values()) list.sort(byStart);
  roots.sort(byStart);

  // Iterative depth-first walk: a 5 000-deep chain must not overflow the stack.
  const rows: LaidOutSpan[] = [];
  const placed = new Set<string>();
  const stack: { span: ViewerSpan; depth: number; parentRow: number }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ span: roots[i]!, depth: 0, parentRow: -1 });
  while (stack.length > 0) {
    const { span, depth, parentRow } = stack.pop()!;
    if (placed.has(span.spanID)) continue; // a cycle of parents in hostile input
    placed.add(span.spanID);
    const row = rows.length;
    const kids = children.get(span.spanID) ?? [];
    rows.push({ span, depth, parentRow, childCount: kids.length });
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i]!, depth: depth + 1, parentRow: row });
  }
  if (rows.length === 0) return { rows, start: 0, end: 0, critical: [], criticalSpans: new Set() };
  const root = roots.reduce((a, b) => (b.startTime + b.duration > a.startTime + a.duration ? b : a), roots[0]!);
  const path = criticalPath(root, children);
  return { rows, start, end, critical: path.segments, criticalSpans: path.spans };
}

/**
 * Walks back from the span's end: the child that finished last before the cursor was what the
 * span waited for, so the path goes through it; the span's own time between children is its own.
 */
export function criticalPath(root: ViewerSpan, children: ReadonlyMap<string, ViewerSpan[]>): { segments: CriticalSegment[]; spans: Set<string> } {
  const segments: CriticalSegment[] = [];
  const spans = new Set<string>();
  // `from`..`until` is the window a span can be waited on in: spans from another process may
  // start before their parent or end after it (clocks and finish points differ); the path stays
  // inside the root span.
  const work: { span: ViewerSpan; until: number; from: number }[] = [{ span: root, until: root.startTime + root.duration, from: root.startTime }];
  while (work.length > 0) {
    const { span, until, from } = work.pop()!;
    if (spans.has(span.spanID)) continue;
    spans.add(span.spanID);
    const floor = Math.max(from, span.startTime);
    let cursor = Math.min(until, span.startTime + span.duration);
    const kids = [...(children.get(span.spanID) ?? [])].sort((a, b) => b.startTime + b.duration - (a.startTime + a.duration));
    const pending: { span: ViewerSpan; until: number; from: number }[] = [];
    for (const child of kids) {
      if (cursor <= floor) break;
      if (child.startTime >= cursor) continue;
      const childEnd = Math.min(child.startTime + child.duration, cursor);
      if (childEnd <= floor) break; // this child and every one after it ended before the window
      if (childEnd < cursor) segments.push({ spanID: span.spanID, start: childEnd, end: cursor });
      pending.push({ span: child, until: childEnd, from: floor });
      cursor = Math.max(child.startTime, floor);
    }
    if (cursor > floor) segments.push({ spanID: span.spanID, start: floor, end: cursor });
    for (let i = pending.length - 1; i >= 0; i--) work.push(pending[i]!);
  }
  return { segments: segments.sort((a, b) => a.start - b.start), spans };
}
