// Finished-span records with fixed ids and times, built directly (no tracer), so encoders can be
// checked byte for byte. Values are bounded as a span bounds them when tagged.
import type { FinishedSpan, FinishedSpanReference } from '../../../src/tracer/finished-span.js';
import { SpanContext } from '../../../src/tracer/span-context.js';
import { boundTagValue } from '../../../src/tracer/tag-value.js';

// Generous: truncation is the tracer's business, not the encoders'.
const MAX_VALUE = 1_000_000;

export interface FixedSpan {
  traceWords?: number[];
  spanId?: [number, number];
  parentId?: [number, number];
  flags?: number;
  name?: string;
  startMs?: number;
  endMs?: number;
  tags?: Record<string, unknown>;
  logs?: { timestamp: number; fields: Record<string, unknown> }[];
  references?: FinishedSpanReference[];
}

export function contextOf(traceWords: number[], spanId: [number, number], parentId: [number, number] = [0, 0], flags = 1): SpanContext {
  return new SpanContext(traceWords, spanId[0], spanId[1], parentId[0], parentId[1], flags, null);
}

function bounded(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, boundTagValue(value, MAX_VALUE)]));
}

/** Defaults: trace 1, span 2, parent 1, `op`, sampled, 1.5 ms → 3.5 ms, no tags. */
export function fixedSpan(spec: FixedSpan = {}): FinishedSpan {
  const context = contextOf(spec.traceWords ?? [0, 0, 0, 1], spec.spanId ?? [0, 2], spec.parentId ?? [0, 1], spec.flags ?? 1);
  const startTime = spec.startMs ?? 1.5;
  const logs = spec.logs ?? [];
  return {
    operationName: spec.name ?? 'op',
    startTime,
    duration: Math.max(0, (spec.endMs ?? 3.5) - startTime),
    tags: Object.entries(spec.tags ?? {}).flatMap(([key, value]) => [key, boundTagValue(value, MAX_VALUE)]),
    logs: logs.length === 0 ? null : logs.map((log) => ({ timestamp: log.timestamp, fields: bounded(log.fields) })),
    references: spec.references ?? null,
    context: () => context,
  };
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Hex of `s` as ASCII bytes. */
export function ascii(s: string): string {
  return Buffer.from(s, 'ascii').toString('hex');
}
