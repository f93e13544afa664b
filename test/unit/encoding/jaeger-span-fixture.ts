// Spans with fixed ids and times, so encoders can be checked byte for byte.
import { initTracer } from '../../../src/config/init.js';
import { Span } from '../../../src/tracer/span.js';
import { SpanContext } from '../../../src/tracer/span-context.js';
import { DEFAULT_SPAN_LIMITS } from '../../../src/tracer/types.js';
import type { SpanReference } from '../../../src/tracer/types.js';

// Generous limits: truncation is the tracer's business, not the encoders'.
const LIMITS = { ...DEFAULT_SPAN_LIMITS, maxTagValueLength: 1_000_000 };

const tracer = initTracer({ serviceName: 'fixture', global: false }, {
  reporter: { report() {}, async flush() {}, async close() {} },
});

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
  references?: SpanReference[];
}

export function contextOf(traceWords: number[], spanId: [number, number], parentId: [number, number] = [0, 0], flags = 1): SpanContext {
  return new SpanContext(traceWords, spanId[0], spanId[1], parentId[0], parentId[1], flags, null);
}

/** Defaults: trace 1, span 2, parent 1, `op`, sampled, 1.5 ms → 3.5 ms, no tags. */
export function fixedSpan(spec: FixedSpan = {}): Span {
  const context = contextOf(spec.traceWords ?? [0, 0, 0, 1], spec.spanId ?? [0, 2], spec.parentId ?? [0, 1], spec.flags ?? 1);
  const span = new Span(tracer, context, spec.name ?? 'op', spec.startMs ?? 1.5, spec.references ?? null, LIMITS);
  for (const [key, value] of Object.entries(spec.tags ?? {})) span.setTag(key, value);
  for (const log of spec.logs ?? []) span.log(log.fields, log.timestamp);
  span.finish(spec.endMs ?? 3.5);
  return span;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Hex of `s` as ASCII bytes. */
export function ascii(s: string): string {
  return Buffer.from(s, 'ascii').toString('hex');
}
