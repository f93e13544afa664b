import type { Span } from '../tracer/span.js';
import type { ReferenceType } from '../tracer/types.js';

/** A finished span as a plain object, for assertions in tests. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  operationName: string;
  /** Milliseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: Record<string, unknown>;
  logs: { timestamp: number; fields: Record<string, unknown> }[];
  references: { type: ReferenceType; traceId: string; spanId: string }[];
  baggage: Record<string, string>;
  sampled: boolean;
}

export function toRecord(span: Span): SpanRecord {
  const context = span.context();
  const tags: Record<string, unknown> = {};
  for (let i = 0; i < span.tags.length; i += 2) tags[span.tags[i] as string] = span.tags[i + 1];
  return {
    traceId: context.toTraceId(),
    spanId: context.toSpanId(),
    parentSpanId: context.parentSpanId(),
    operationName: span.operationName,
    startTime: span.startTime,
    duration: Math.round(span.duration * 1000),
    tags,
    logs: (span.logs ?? []).map((log) => ({ timestamp: log.timestamp, fields: { ...log.fields } })),
    references: (span.references ?? []).map((ref) => ({
      type: ref.type,
      traceId: ref.context.toTraceId(),
      spanId: ref.context.toSpanId(),
    })),
    baggage: { ...context._baggage },
    sampled: context.isSampled(),
  };
}
