import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { encodeOtlpJson } from '../../src/encoding/otlp-json.js';
import { OtlpProtoEncoder } from '../../src/encoding/otlp-proto.js';
import { decodeTraceRequest } from './otlp-schema.js';
import { PROCESS, SPECS_BY_NAME, buildOurSpans, toReadableSpan } from './otlp-fixture.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const spans = buildOurSpans();
const text = encodeOtlpJson(spans, PROCESS);
const ours = JSON.parse(text) as { resourceSpans: { scopeSpans: { spans: Record<string, Json>[] }[] }[] };
const ourSpans = ours.resourceSpans[0]!.scopeSpans[0]!.spans;

function walk(value: Json, visit: (key: string, value: Json) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      visit(key, child);
      walk(child, visit);
    }
  }
}

/** Drops what only differs in presence (empty lists, zero counters, UNSET status, 0x100 flag bits). */
function normalise(value: Json, key = ''): Json | undefined {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((item) => normalise(item)!);
  if (value !== null && typeof value === 'object') {
    if (key === 'status' && (value['code'] === undefined || value['code'] === 0)) return undefined;
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      if (/^dropped/.test(k) || (k === 'message' && v === undefined)) continue;
      const n = normalise(v, k);
      if (n !== undefined) out[k] = n;
    }
    return out;
  }
  if (key === 'flags' && typeof value === 'number') return value & 0xff;
  if (key === 'intValue') return Number(value);
  return value;
}

describe('OTLP JSON follows the OTLP/JSON mapping', () => {
  test('keys are lowerCamelCase proto field names', () => {
    const keys = new Set<string>();
    walk(ours as unknown as Json, (key) => keys.add(key));
    for (const key of keys) assert.match(key, /^[a-z][a-zA-Z]*$/, key);
    for (const expected of ['resourceSpans', 'scopeSpans', 'traceId', 'spanId', 'parentSpanId', 'startTimeUnixNano', 'endTimeUnixNano', 'timeUnixNano', 'stringValue', 'intValue', 'boolValue', 'doubleValue', 'bytesValue', 'arrayValue', 'traceState']) {
      assert.ok(keys.has(expected), expected);
    }
  });

  test('ids are lowercase hex (32 and 16 digits), not base64', () => {
    for (const span of ourSpans) {
      assert.match(span['traceId'] as string, /^[0-9a-f]{32}$/);
      assert.match(span['spanId'] as string, /^[0-9a-f]{16}$/);
      if (span['parentSpanId'] !== undefined) assert.match(span['parentSpanId'] as string, /^[0-9a-f]{16}$/);
    }
  });

  test('times are nanosecond decimal strings; int64 values are decimal strings; enums are integers', () => {
    const root = ourSpans.find((s) => s['name'] === 'GET /orders/:id')!;
    assert.equal(root['startTimeUnixNano'], '1700000000123250000');
    assert.equal(root['endTimeUnixNano'], '1700000000135750000');
    assert.equal(root['kind'], 2);
    assert.deepEqual(root['status'], { code: 2, message: 'database unreachable' });
    walk(ours as unknown as Json, (key, value) => {
      if (/UnixNano$/.test(key)) assert.match(value as string, /^\d{19}$/);
      if (key === 'intValue') assert.match(value as string, /^-?\d+$/);
      if (key === 'kind' || key === 'code') assert.ok(Number.isInteger(value));
    });
    const big = (root['attributes'] as { key: string; value: { intValue?: string } }[]).find((a) => a.key === 'big');
    assert.equal(big?.value.intValue, '1152921504606846976');
  });

  test('bytes are base64', () => {
    const consumer = ourSpans.find((s) => s['name'] === 'consume')!;
    assert.deepEqual(consumer['attributes'], [{ key: 'payload', value: { bytesValue: 'AQID/w==' } }]);
  });

  test('says the same as our protobuf encoding', () => {
    const decoded = decodeTraceRequest(new OtlpProtoEncoder(PROCESS).encode(spans)) as unknown as Json;
    assert.deepEqual(normalise(ours as unknown as Json), normalise(decoded));
  });

  test('matches @opentelemetry/otlp-transformer\'s JSON for equivalent spans', () => {
    const readable = spans.map((span) => {
      const spec = SPECS_BY_NAME[span.operationName]!;
      const samplerTags = span.getTag('sampler.type') === undefined ? {} : { 'sampler.type': 'const', 'sampler.param': true };
      return toReadableSpan(span, { ...spec, attributes: { ...samplerTags, ...spec.attributes } });
    });
    const theirs = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(readable)!).toString()) as typeof ours;
    const theirSpans = theirs.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    assert.equal(theirSpans.length, ourSpans.length);
    for (const span of ourSpans) {
      const theirSpan = theirSpans.find((s) => s['spanId'] === span['spanId']);
      assert.ok(theirSpan, String(span['name']));
      assert.deepEqual(normalise(span), normalise(theirSpan), String(span['name']));
    }
    assert.deepEqual(normalise((ours.resourceSpans[0] as unknown as Record<string, Json>)['resource']!),
      normalise((theirs.resourceSpans[0] as unknown as Record<string, Json>)['resource']!));
  });
});
