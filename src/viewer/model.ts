// The viewer's one span shape, whatever format a span arrived in. It is already Jaeger's query API
// shape (tags as {key, type, value}, times in microseconds, the parent as a CHILD_OF reference),
// so the API serves stored spans without converting them again.

export type TagType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export interface KeyValue {
  key: string;
  type: TagType;
  value: string | number | boolean;
}

export interface SpanLog {
  /** Microseconds since the epoch. */
  timestamp: number;
  fields: KeyValue[];
}

export interface SpanRef {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface SpanProcess {
  serviceName: string;
  tags: KeyValue[];
}

export interface ViewerSpan {
  /** 32 lower-case hex digits. */
  traceID: string;
  /** 16 lower-case hex digits. */
  spanID: string;
  /** The CHILD_OF parent's span id, '' for a root. */
  parentSpanID: string;
  operationName: string;
  flags: number;
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: KeyValue[];
  logs: SpanLog[];
  references: SpanRef[];
  process: SpanProcess;
}

/** Thrown by decoders for input they cannot read: the receiver counts and drops it. */
export class MalformedInput extends Error {}

const ZEROS = '00000000000000000000000000000000';
const HEX_ID = /^[0-9a-f]+$/;

/** A trace id as 32 lower-case hex digits (Jaeger prints 64-bit ids as 16). */
export function normalTraceId(id: string): string {
  const lower = id.toLowerCase();
  return lower.length >= 32 ? lower : ZEROS.slice(lower.length) + lower;
}

export function isHexId(id: string, maxLength: number): boolean {
  return id.length > 0 && id.length <= maxLength && HEX_ID.test(id.toLowerCase());
}

/**
 * Adds the parent as a CHILD_OF reference unless a reference already names it (Jaeger's shape);
 * without a parent, the first reference in the same trace places the span (as Jaeger UI does).
 */
export function withParentReference(span: ViewerSpan): ViewerSpan {
  if (span.parentSpanID === '') {
    const sameTrace = span.references.filter((ref) => ref.traceID === span.traceID);
    const parentRef = sameTrace.find((ref) => ref.refType === 'CHILD_OF') ?? sameTrace[0];
    if (parentRef !== undefined) span.parentSpanID = parentRef.spanID;
    return span;
  }
  if (!span.references.some((ref) => ref.spanID === span.parentSpanID && ref.traceID === span.traceID)) {
    span.references.unshift({ refType: 'CHILD_OF', traceID: span.traceID, spanID: span.parentSpanID });
  }
  return span;
}

function keyValuesBytes(list: readonly KeyValue[]): number {
  let bytes = 0;
  for (const kv of list) bytes += 48 + kv.key.length * 2 + (typeof kv.value === 'string' ? kv.value.length * 2 : 8);
  return bytes;
}

/** Roughly what a span holds in memory (strings as UTF-16, object headers): the store's byte budget. */
export function spanBytes(span: ViewerSpan): number {
  let bytes = 200 + span.operationName.length * 2 + keyValuesBytes(span.tags) + span.references.length * 120;
  for (const log of span.logs) bytes += 40 + keyValuesBytes(log.fields);
  return bytes;
}

export function isErrorSpan(span: ViewerSpan): boolean {
  for (const tag of span.tags) {
    if (tag.key === 'error' && (tag.value === true || tag.value === 'true')) return true;
  }
  return false;
}

