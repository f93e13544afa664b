// Finished spans → an OTLP `ExportTraceServiceRequest` in the OTLP/JSON encoding: the proto3 JSON
// mapping (camelCase keys, 64-bit integers as decimal strings, bytes as base64) except that trace
// and span ids are hex strings and enums are integers, as the OTLP specification requires.
import type { FinishedSpan } from '../tracer/finished-span.js';
import { wordToHex } from '../tracer/ids.js';
import {
  SCOPE_NAME, SCOPE_VERSION, SPAN_KIND_INTERNAL, STATUS_ERROR, TAG_ATTRIBUTE, TAG_ERROR, VALUE_ARRAY, VALUE_BOOL,
  VALUE_BYTES, VALUE_DOUBLE, VALUE_INT, VALUE_SKIP, VALUE_STRING, addNanos, durationNanos, errorMessage, eventName,
  linkedReferences, namesEvent, resourceAttributes, splitMs, stringifyValue, tagRole, valueKind,
} from './otlp-common.js';
import type { OtlpProcess } from './otlp-common.js';

export type OtlpJsonAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | { bytesValue: string }
  | { arrayValue: { values: OtlpJsonAnyValue[] } };

export interface OtlpJsonKeyValue {
  key: string;
  value: OtlpJsonAnyValue;
}

const time = new Float64Array(2);

function nanosString(secs: number, nanos: number): string {
  if (secs === 0) return String(nanos);
  const digits = String(nanos);
  return String(secs) + '000000000'.slice(digits.length) + digits;
}

function jsonDouble(value: number): number | string {
  // JSON has no NaN or Infinity; the proto3 mapping spells them as strings.
  return Number.isFinite(value) ? value : String(value);
}

function anyValue(value: unknown, kind: number, depth: number): OtlpJsonAnyValue {
  switch (kind) {
    case VALUE_STRING:
      return { stringValue: value as string };
    case VALUE_BOOL:
      return { boolValue: value as boolean };
    case VALUE_INT:
      // String(2 ** 60) rounds to 17 significant digits; BigInt prints every digit.
      return { intValue: typeof value === 'number' && !Number.isSafeInteger(value) ? BigInt(value).toString() : String(value) };
    case VALUE_DOUBLE:
      return { doubleValue: jsonDouble(value as number) };
    case VALUE_BYTES:
      return { bytesValue: Buffer.from((value as Uint8Array).buffer, (value as Uint8Array).byteOffset, (value as Uint8Array).byteLength).toString('base64') };
    case VALUE_ARRAY:
      if (depth === 0) return { arrayValue: { values: arrayValues(value as readonly unknown[]) } };
      return { stringValue: stringifyValue(value) };
    default:
      return { stringValue: stringifyValue(value) };
  }
}

function arrayValues(items: readonly unknown[]): OtlpJsonAnyValue[] {
  const out: OtlpJsonAnyValue[] = [];
  for (const item of items) {
    const kind = valueKind(item);
    if (kind !== VALUE_SKIP) out.push(anyValue(item, kind, 1));
  }
  return out;
}

function keyValue(key: string, value: unknown): OtlpJsonKeyValue | null {
  const kind = valueKind(value);
  return kind === VALUE_SKIP ? null : { key, value: anyValue(value, kind, 0) };
}

function events(span: FinishedSpan): object[] {
  return span.logs!.map((log) => {
    splitMs(log.timestamp, time);
    const name = eventName(log.fields);
    const attributes: OtlpJsonKeyValue[] = [];
    for (const key of Object.keys(log.fields)) {
      const value = log.fields[key];
      if (namesEvent(key, value)) continue;
      const attribute = keyValue(key, value);
      if (attribute !== null) attributes.push(attribute);
    }
    return { timeUnixNano: nanosString(time[0]!, time[1]!), name, attributes };
  });
}

function links(span: FinishedSpan): object[] {
  return linkedReferences(span).map((ref) => {
    const ctx = ref.context;
    const link: Record<string, unknown> = {
      traceId: ctx.toTraceId(),
      spanId: ctx.toSpanId(),
      attributes: [{ key: 'opentracing.ref_type', value: { stringValue: ref.type } }],
      flags: ctx.flags & 1,
    };
    if (ctx.traceState !== null && ctx.traceState !== '') link['traceState'] = ctx.traceState;
    return link;
  });
}

function jsonSpan(span: FinishedSpan): object {
  const ctx = span.context();
  let kind = SPAN_KIND_INTERNAL;
  let failed = false;
  const attributes: OtlpJsonKeyValue[] = [];
  const tags = span.tags;
  for (let i = 0; i < tags.length; i += 2) {
    const key = tags[i] as string;
    const value = tags[i + 1];
    const role = tagRole(key, value);
    if (role === TAG_ATTRIBUTE) {
      const attribute = keyValue(key, value);
      if (attribute !== null) attributes.push(attribute);
    } else if (role === TAG_ERROR) {
      failed = true;
    } else {
      kind = role;
    }
  }
  splitMs(span.startTime, time);
  const startTimeUnixNano = nanosString(time[0]!, time[1]!);
  addNanos(time, durationNanos(span.duration));
  const out: Record<string, unknown> = { traceId: ctx.toTraceId(), spanId: ctx.toSpanId() };
  if (ctx.traceState !== null && ctx.traceState !== '') out['traceState'] = ctx.traceState;
  if ((ctx.parentIdHi | ctx.parentIdLo) !== 0) out['parentSpanId'] = wordToHex(ctx.parentIdHi) + wordToHex(ctx.parentIdLo);
  out['flags'] = ctx.flags & 1;
  out['name'] = span.operationName;
  out['kind'] = kind;
  out['startTimeUnixNano'] = startTimeUnixNano;
  out['endTimeUnixNano'] = nanosString(time[0]!, time[1]!);
  out['attributes'] = attributes;
  if (span.logs !== null) out['events'] = events(span);
  if (span.references !== null) out['links'] = links(span);
  if (failed) {
    const message = errorMessage(span);
    out['status'] = message === '' ? { code: STATUS_ERROR } : { code: STATUS_ERROR, message };
  }
  return out;
}

/** The request as a plain object (what `encodeOtlpJson` serialises). */
function otlpJsonRequest(spans: readonly FinishedSpan[], process: OtlpProcess): object {
  const resource = resourceAttributes(process).map(([key, value]) => keyValue(key, value)!);
  return {
    resourceSpans: [{
      resource: { attributes: resource },
      scopeSpans: [{ scope: { name: SCOPE_NAME, version: SCOPE_VERSION }, spans: spans.map(jsonSpan) }],
    }],
  };
}

export function encodeOtlpJson(spans: readonly FinishedSpan[], process: OtlpProcess): string {
  return JSON.stringify(otlpJsonRequest(spans, process));
}
