// OTLP/HTTP JSON → viewer spans. Accepts what the specification says (hex ids, integer enums) and
// what the plain proto3 JSON mapping produces (base64 ids, enum names, numbers as strings).
import type { KeyValue, SpanLog, ViewerSpan } from './model.js';
import { MalformedInput } from './model.js';
import { KINDS, eventLog, processOf, toViewerSpan } from './otlp-common.js';
import type { OtlpSpanParts } from './otlp-common.js';

type Json = Record<string, unknown>;

const MAX_DEPTH = 16;

function objects(value: unknown): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new MalformedInput('expected a list');
  return value.filter((item): item is Json => item !== null && typeof item === 'object');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function id(value: unknown, bytes: number): string {
  if (typeof value !== 'string' || value === '') return '';
  if (value.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(value)) return value.toLowerCase();
  const decoded = Buffer.from(value, 'base64');
  return decoded.length === bytes ? decoded.toString('hex') : '';
}

/** Nanoseconds as a decimal string (or a number) → microseconds, without passing through 2^53. */
function micros(value: unknown): number {
  const digits = typeof value === 'number' ? (Number.isFinite(value) ? Math.floor(value).toString() : '0') : text(value);
  if (!/^\d{1,20}$/.test(digits)) return 0;
  return digits.length <= 3 ? 0 : Number(digits.slice(0, -3));
}

function anyValue(key: string, value: unknown, depth: number): KeyValue {
  if (value === null || typeof value !== 'object') return { key, type: 'string', value: '' };
  const v = value as Json;
  if ('stringValue' in v) return { key, type: 'string', value: text(v['stringValue']) };
  if ('boolValue' in v) return { key, type: 'bool', value: v['boolValue'] === true };
  if ('intValue' in v) {
    const raw = v['intValue'];
    const n = Number(raw);
    return { key, type: 'int64', value: Number.isSafeInteger(n) ? n : String(raw) };
  }
  if ('doubleValue' in v) {
    const n = Number(v['doubleValue']);
    return { key, type: 'float64', value: n };
  }
  if ('bytesValue' in v) return { key, type: 'binary', value: text(v['bytesValue']) };
  if ('arrayValue' in v || 'kvlistValue' in v) return { key, type: 'string', value: JSON.stringify(plain(v, depth + 1)) };
  return { key, type: 'string', value: '' };
}

function plain(value: Json, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new MalformedInput('nested too deep');
  if ('arrayValue' in value) {
    const values = (value['arrayValue'] as Json | null)?.['values'];
    return objects(values).map((item) => {
      const kv = anyValue('', item, depth);
      return kv.type === 'string' && typeof kv.value === 'string' && ('arrayValue' in item || 'kvlistValue' in item) ? JSON.parse(kv.value) as unknown : kv.value;
    });
  }
  const out: Record<string, unknown> = {};
  for (const kv of attributes((value['kvlistValue'] as Json | null)?.['values'], depth)) out[kv.key] = kv.value;
  return out;
}

function attributes(list: unknown, depth = 0): KeyValue[] {
  return objects(list).map((kv) => anyValue(text(kv['key']), kv['value'], depth));
}

function enumNumber(value: unknown, names: readonly string[]): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const index = names.indexOf(value);
  return index >= 0 ? index : Number(value) || 0;
}

const KIND_NAMES = KINDS.map((kind, i) => (i === 0 ? 'SPAN_KIND_UNSPECIFIED' : `SPAN_KIND_${kind.toUpperCase()}`));
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

function spanParts(span: Json): OtlpSpanParts {
  const traceID = id(span['traceId'], 16);
  const spanID = id(span['spanId'], 8);
  if (traceID === '' || spanID === '') throw new MalformedInput('span without valid ids');
  const status = (span['status'] ?? {}) as Json;
  const events: SpanLog[] = objects(span['events']).map((event) => eventLog(micros(event['timeUnixNano']), text(event['name']), attributes(event['attributes'])));
  return {
    traceID,
    spanID,
    parentSpanID: id(span['parentSpanId'], 8),
    name: text(span['name']),
    kind: enumNumber(span['kind'], KIND_NAMES),
    startMicros: micros(span['startTimeUnixNano']),
    endMicros: micros(span['endTimeUnixNano']),
    attributes: attributes(span['attributes']),
    events,
    links: objects(span['links']).map((link) => ({ traceID: id(link['traceId'], 16), spanID: id(link['spanId'], 8), attributes: attributes(link['attributes']) })),
    statusCode: enumNumber(status['code'], STATUS_NAMES),
    statusMessage: text(status['message']),
    flags: typeof span['flags'] === 'number' ? span['flags'] : 0,
  };
}

export function decodeOtlpJson(body: Buffer): ViewerSpan[] {
  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MalformedInput(`not JSON: ${(error as Error).message}`);
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) throw new MalformedInput('not a JSON object');
  const out: ViewerSpan[] = [];
  for (const resourceSpans of objects((request as Json)['resourceSpans'])) {
    const process = processOf(attributes(((resourceSpans['resource'] ?? {}) as Json)['attributes']));
    for (const scopeSpans of objects(resourceSpans['scopeSpans'] ?? resourceSpans['instrumentationLibrarySpans'])) {
      const scopeJson = (scopeSpans['scope'] ?? scopeSpans['instrumentationLibrary'] ?? {}) as Json;
      const scope = { name: text(scopeJson['name']), version: text(scopeJson['version']) };
      for (const span of objects(scopeSpans['spans'])) out.push(toViewerSpan(spanParts(span), process, scope));
    }
  }
  return out;
}
