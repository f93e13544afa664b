import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTracer } from '../../../src/config/init.js';
import type { TracingConfig } from '../../../src/config/options.js';
import { InMemoryReporter } from '../../../src/reporting/memory.js';
import { OtlpProtoEncoder } from '../../../src/encoding/otlp-proto.js';
import { encodeOtlpJson } from '../../../src/encoding/otlp-json.js';
import type { Span } from '../../../src/tracer/span.js';
import { decodeTraceRequest } from '../../peers/otlp-schema.js';
import type { DecodedSpan } from '../../peers/otlp-schema.js';

const PROCESS = { serviceName: 'edge', processTags: {} };

function finished(build: (tracer: ReturnType<typeof initTracer>) => void, config: TracingConfig = {}): Span[] {
  const reporter = new InMemoryReporter();
  build(initTracer({ serviceName: 'edge', global: false, ...config }, { reporter }));
  return [...reporter.finishedSpans()];
}

function protoSpans(spans: readonly Span[]): DecodedSpan[] {
  return decodeTraceRequest(new OtlpProtoEncoder(PROCESS).encode(spans)).resourceSpans[0]!.scopeSpans[0]!.spans;
}

function jsonSpans(spans: readonly Span[]): { kind: number; attributes: { key: string; value: Record<string, unknown> }[]; events?: { attributes: { key: string; value: Record<string, unknown> }[] }[] }[] {
  return (JSON.parse(encodeOtlpJson(spans, PROCESS)) as { resourceSpans: { scopeSpans: { spans: ReturnType<typeof jsonSpans> }[] }[] }).resourceSpans[0]!.scopeSpans[0]!.spans;
}

describe('OTLP encoders: awkward values', () => {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular['self'] = circular;
  const spans = finished((tracer) => {
    const span = tracer.startSpan('values');
    span.addTags({
      nothing: null, missing: undefined, huge: 123n, hugeNegative: -(2n ** 63n), tooHuge: 2n ** 64n,
      object: { a: 1 }, circular, nan: NaN, infinity: -Infinity, fn: () => 1, nested: [[1, 2], 'x'], list: ['a', 1, true],
    });
    span.recordError(new TypeError('bad input'));
    span.finish();
  });

  test('null and undefined tags are left out; bigints in int64 range are ints, others strings', () => {
    const attributes = Object.fromEntries((protoSpans(spans)[0]!.attributes ?? []).map(({ key, value }) => [key, value]));
    assert.equal(attributes['nothing'], undefined);
    assert.equal(attributes['missing'], undefined);
    assert.deepEqual(attributes['huge'], { intValue: '123' });
    assert.deepEqual(attributes['hugeNegative'], { intValue: '-9223372036854775808' });
    assert.deepEqual(attributes['tooHuge'], { stringValue: '18446744073709551616' });
    assert.deepEqual(attributes['object'], { stringValue: '{"a":1}' });
    assert.equal(typeof attributes['circular']?.stringValue, 'string', 'a circular object is stringified without throwing');
    assert.ok(Number.isNaN(attributes['nan']?.doubleValue));
    assert.deepEqual(attributes['infinity'], { doubleValue: -Infinity });
    assert.deepEqual(attributes['fn'], { stringValue: '[function fn]' }, 'a function by its name, never its source');
    assert.deepEqual(attributes['nested'], { stringValue: '[[1,2],"x"]' }, 'an array holding arrays is one string');
    assert.deepEqual(attributes['list'], { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { boolValue: true }] } });
  });

  test('JSON spells NaN and Infinity as strings and 64-bit ints as decimal strings', () => {
    const attributes = Object.fromEntries(jsonSpans(spans)[0]!.attributes.map(({ key, value }) => [key, value]));
    assert.deepEqual(attributes['nan'], { doubleValue: 'NaN' });
    assert.deepEqual(attributes['infinity'], { doubleValue: '-Infinity' });
    assert.deepEqual(attributes['hugeNegative'], { intValue: '-9223372036854775808' });
  });

  test('recordError: status ERROR with the message; the error object becomes "Name: message"', () => {
    const [span] = protoSpans(spans);
    assert.deepEqual(span!.status, { code: 2, message: 'bad input' });
    const event = span!.events![0]!;
    assert.equal(event.name, 'error');
    const fields = Object.fromEntries((event.attributes ?? []).map(({ key, value }) => [key, value]));
    assert.deepEqual(fields['error.object'], { stringValue: 'TypeError: bad input' });
    assert.deepEqual(fields['error.kind'], { stringValue: 'TypeError' });
  });
});

describe('OTLP encoders: span kind', () => {
  const spans = finished((tracer) => {
    for (const kind of ['constructor', 'toString', '__proto__', 'consumer']) tracer.startSpan(kind, { tags: { 'span.kind': kind } }).finish();
  });

  test('a span.kind naming an Object.prototype member stays an attribute, in both encodings', () => {
    const proto = protoSpans(spans);
    const json = jsonSpans(spans);
    for (const [i, kind] of ['constructor', 'toString', '__proto__'].entries()) {
      assert.equal(proto[i]!.kind, 1, kind);
      assert.equal(json[i]!.kind, 1, kind);
      assert.deepEqual(proto[i]!.attributes!.find((a) => a.key === 'span.kind')?.value, { stringValue: kind });
      assert.deepEqual(json[i]!.attributes.find((a) => a.key === 'span.kind')?.value, { stringValue: kind });
    }
    assert.equal(proto[3]!.kind, 5);
    assert.equal(json[3]!.kind, 5);
  });
});

describe('OTLP protobuf: sizes', () => {
  test('long and non-ASCII values near the tag limit, in a batch over 2 MB', () => {
    const value = 'é☃'.repeat(2048); // 4096 characters, 10 240 UTF-8 bytes
    const spans = finished((tracer) => {
      for (let i = 0; i < 240; i++) tracer.startSpan(`op-${i}`, { tags: { a: value, b: `${value}!`.slice(1) } }).finish();
    });
    const bytes = new OtlpProtoEncoder(PROCESS).encode(spans);
    assert.ok(bytes.length > 4 * 1024 * 1024, `${bytes.length} bytes`);
    const decoded = protoSpans(spans);
    assert.equal(decoded.length, 240);
    assert.equal(decoded[239]!.name, 'op-239');
    const a = decoded[239]!.attributes!.find((attribute) => attribute.key === 'a');
    assert.ok(a?.value.stringValue === value, 'the 4096-character value survives intact');
  });

  test('the encoder is reusable: a small batch after a large one is independent', () => {
    const encoder = new OtlpProtoEncoder(PROCESS);
    const big = finished((tracer) => { for (let i = 0; i < 3000; i++) tracer.startSpan('big').finish(); });
    const small = finished((tracer) => tracer.startSpan('small').finish());
    const first = encoder.encode(big);
    const second = encoder.encode(small);
    assert.equal(decodeTraceRequest(first).resourceSpans[0]!.scopeSpans[0]!.spans.length, 3000);
    assert.deepEqual(decodeTraceRequest(second).resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name), ['small']);
  });
});
