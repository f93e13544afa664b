// Finished spans → an OTLP `ExportTraceServiceRequest` in protobuf (opentelemetry-proto v1,
// collector/trace/v1/trace_service.proto). Field numbers are written next to each call.
import type { FinishedSpan } from '../tracer/finished-span.js';
import { ProtoWriter } from './otlp-proto-writer.js';
import {
  SCOPE_NAME, SCOPE_VERSION, SPAN_KIND_INTERNAL, STATUS_ERROR, TAG_ATTRIBUTE, TAG_ERROR, VALUE_ARRAY, VALUE_BOOL,
  VALUE_BYTES, VALUE_DOUBLE, VALUE_INT, VALUE_SKIP, VALUE_STRING, addNanos, durationNanos, errorMessage, eventName,
  linkedReferences, namesEvent, resourceAttributes, splitMs, stringifyValue, tagRole, valueKind,
} from './otlp-common.js';
import type { OtlpProcess } from './otlp-common.js';

const INITIAL_BUFFER = 64 * 1024;
const RETAINED_BUFFER = 4 * 1024 * 1024;
const time = new Float64Array(2);

/** Bytes to reserve for a nested message's length, from the size we expect it to have. */
function reserveFor(expectedBytes: number): number {
  return expectedBytes < 0x80 ? 1 : expectedBytes < 0x4000 ? 2 : 3;
}

function writeAnyValue(w: ProtoWriter, value: unknown, kind: number, depth: number): void {
  switch (kind) {
    case VALUE_STRING:
      return w.stringField(1, value as string);
    case VALUE_BOOL:
      return w.boolField(2, value as boolean);
    case VALUE_INT:
      return typeof value === 'bigint' ? w.bigintField(3, value) : w.int64Field(3, value as number);
    case VALUE_DOUBLE:
      return w.doubleField(4, value as number);
    case VALUE_BYTES:
      return w.bytesField(7, value as Uint8Array);
    case VALUE_ARRAY:
      if (depth === 0) return writeArray(w, value as readonly unknown[]);
      return w.stringField(1, stringifyValue(value));
    default:
      return w.stringField(1, stringifyValue(value));
  }
}

/** ArrayValue (AnyValue field 5) holding AnyValue `values` (field 1); nested arrays are stringified. */
function writeArray(w: ProtoWriter, items: readonly unknown[]): void {
  const array = w.begin(5, 2);
  for (const item of items) {
    const kind = valueKind(item);
    if (kind === VALUE_SKIP) continue;
    const element = w.begin(1, 1);
    writeAnyValue(w, item, kind, 1);
    w.end(element, 1);
  }
  w.end(array, 2);
}

/** KeyValue {key = 1, value = 2 (AnyValue)} as repeated field `field`. */
function writeKeyValue(w: ProtoWriter, field: number, key: string, value: unknown, kind: number): void {
  const expected = key.length + (typeof value === 'string' ? value.length * 3 : 16) + 8;
  const reserve = reserveFor(expected);
  const keyValue = w.begin(field, reserve);
  w.stringField(1, key);
  const anyValue = w.begin(2, reserve);
  writeAnyValue(w, value, kind, 0);
  w.end(anyValue, reserve);
  w.end(keyValue, reserve);
}

/** Span.Event: time_unix_nano = 1, name = 2, attributes = 3. */
function writeEvents(w: ProtoWriter, span: FinishedSpan): void {
  for (const log of span.logs!) {
    const event = w.begin(11, 2);
    splitMs(log.timestamp, time);
    w.nanosField(1, time[0]!, time[1]!);
    const name = eventName(log.fields);
    w.stringField(2, name);
    const fields = log.fields;
    for (const key of Object.keys(fields)) {
      const value = fields[key];
      if (namesEvent(key, value)) continue;
      const kind = valueKind(value);
      if (kind !== VALUE_SKIP) writeKeyValue(w, 3, key, value, kind);
    }
    w.end(event, 2);
  }
}

/** Span.Link: trace_id = 1, span_id = 2, trace_state = 3, attributes = 4, flags = 6. */
function writeLinks(w: ProtoWriter, span: FinishedSpan): void {
  for (const ref of linkedReferences(span)) {
    const ctx = ref.context;
    const link = w.begin(13, 1);
    const t = ctx.traceWords;
    w.wordsField(1, t[0]!, t[1]!, t[2]!, t[3]!, 4);
    w.wordsField(2, ctx.spanIdHi, ctx.spanIdLo, 0, 0, 2);
    if (ctx.traceState !== null && ctx.traceState !== '') w.stringField(3, ctx.traceState);
    writeKeyValue(w, 4, 'opentracing.ref_type', ref.type, VALUE_STRING);
    w.fixed32Field(6, ctx.flags & 1);
    w.end(link, 1);
  }
}

function writeSpan(w: ProtoWriter, span: FinishedSpan): void {
  const ctx = span.context();
  const spanStart = w.begin(2, 2); // ScopeSpans.spans
  const t = ctx.traceWords;
  w.wordsField(1, t[0]!, t[1]!, t[2]!, t[3]!, 4);
  w.wordsField(2, ctx.spanIdHi, ctx.spanIdLo, 0, 0, 2);
  if (ctx.traceState !== null && ctx.traceState !== '') w.stringField(3, ctx.traceState);
  if ((ctx.parentIdHi | ctx.parentIdLo) !== 0) w.wordsField(4, ctx.parentIdHi, ctx.parentIdLo, 0, 0, 2);
  w.stringField(5, span.operationName);
  splitMs(span.startTime, time);
  w.nanosField(7, time[0]!, time[1]!);
  addNanos(time, durationNanos(span.duration));
  w.nanosField(8, time[0]!, time[1]!);

  let kind = SPAN_KIND_INTERNAL;
  let failed = false;
  const tags = span.tags;
  for (let i = 0; i < tags.length; i += 2) {
    const key = tags[i] as string;
    const value = tags[i + 1];
    const role = tagRole(key, value);
    if (role === TAG_ATTRIBUTE) {
      const valueType = valueKind(value);
      if (valueType !== VALUE_SKIP) writeKeyValue(w, 9, key, value, valueType);
    } else if (role === TAG_ERROR) {
      failed = true;
    } else {
      kind = role;
    }
  }
  w.uint32Field(6, kind);
  if (span.logs !== null) writeEvents(w, span);
  if (span.references !== null) writeLinks(w, span);
  if (failed) {
    const status = w.begin(15, 1); // Status: message = 2, code = 3
    const message = errorMessage(span);
    if (message !== '') w.stringField(2, message);
    w.uint32Field(3, STATUS_ERROR);
    w.end(status, 1);
  }
  w.fixed32Field(16, ctx.flags & 1); // W3C trace flags: sampled
  w.end(spanStart, 2);
}

function encodeHeader(process: OtlpProcess): { resource: Uint8Array; scope: Uint8Array } {
  const w = new ProtoWriter(1024);
  const resource = w.begin(1, 2); // ResourceSpans.resource; Resource.attributes = 1
  for (const [key, value] of resourceAttributes(process)) writeKeyValue(w, 1, key, value, valueKind(value));
  w.end(resource, 2);
  const resourceBytes = w.finish();
  w.reset();
  const scope = w.begin(1, 1); // ScopeSpans.scope; InstrumentationScope: name = 1, version = 2
  w.stringField(1, SCOPE_NAME);
  w.stringField(2, SCOPE_VERSION);
  w.end(scope, 1);
  return { resource: resourceBytes, scope: w.finish() };
}

/**
 * Encodes batches for one process. The Resource and InstrumentationScope are encoded once;
 * the output buffer is reused between batches (each result is a fresh copy).
 */
export class OtlpProtoEncoder {
  private readonly writer = new ProtoWriter(INITIAL_BUFFER);
  private readonly resource: Uint8Array;
  private readonly scope: Uint8Array;

  constructor(process: OtlpProcess) {
    const header = encodeHeader(process);
    this.resource = header.resource;
    this.scope = header.scope;
  }

  /** One `ExportTraceServiceRequest` holding every span of the batch. */
  encode(spans: readonly FinishedSpan[]): Uint8Array {
    const w = this.writer;
    w.reset();
    const resourceSpans = w.begin(1, 3);
    w.raw(this.resource);
    const scopeSpans = w.begin(2, 3);
    w.raw(this.scope);
    for (let i = 0; i < spans.length; i++) writeSpan(w, spans[i]!);
    w.end(scopeSpans, 3);
    w.end(resourceSpans, 3);
    const bytes = w.finish();
    w.shrink(RETAINED_BUFFER, INITIAL_BUFFER);
    return bytes;
  }
}
