import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OtlpProtoEncoder } from '../../../src/encoding/otlp-proto.js';
import { encodeOtlpJson } from '../../../src/encoding/otlp-json.js';
import type { FinishedSpan } from '../../../src/tracer/finished-span.js';
import { decodeTraceRequest } from '../../peers/otlp-schema.js';
import type { DecodedSpan } from '../../peers/otlp-schema.js';
import { fixedSpan } from './span-records.js';

const PROCESS = { serviceName: 'edge', processTags: {} };

function protoSpans(spans: readonly FinishedSpan[]): DecodedSpan[] {
  return decodeTraceRequest(new OtlpProtoEncoder(PROCESS).encode(spans)).resourceSpans[0]!.scopeSpans[0]!.spans;
}

function jsonSpans(spans: readonly FinishedSpan[]): { kind: number; attributes: { key: string; value: Record<string, unknown> }[]; events?: { attributes: { key: string; value: Record<string, unknown> }[] }[] }[] {
  return (JSON.parse(encodeOtlpJson(spans, PROCESS)) as { resourceSpans: { scopeSpans: { spans: ReturnType<typeof jsonSpans> }[] }[] }).resourceSpans[0]!.scopeSpans[0]!.spans;
}

describe('OTLP encoders: awkward values', () => {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular['self'] = circular;
  const error = new TypeError('bad input');
  // As `span.recordError(error)` leaves it.
  const spans = [fixedSpan({
    name: 'values',
    tags: {
      nothing: null, missing: undefined, huge: 123n, hugeNegative: -(2n ** 63n), tooHuge: 2n ** 64n,
      object: { a: 1 }, circular, nan: NaN, infinity: -Infinity, fn: () => 1, nested: [[1, 2], 'x'], list: ['a', 1, true], error: true,
    },
    logs: [{ timestamp: 2, fields: { event: 'error', 'error.object': error, 'error.kind': error.name, message: error.message, stack: error.stack } }],
  })];

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
  const spans = ['constructor', 'toString', '__proto__', 'consumer'].map((kind) => fixedSpan({ name: kind, tags: { 'span.kind': kind } }));

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
    const spans = Array.from({ length: 240 }, (_, i) => fixedSpan({ name: `op-${i}`, tags: { a: value, b: `${value}!`.slice(1) } }));
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
    const big = Array.from({ length: 3000 }, () => fixedSpan({ name: 'big' }));
    const small = [fixedSpan({ name: 'small' })];
    const first = encoder.encode(big);
    const second = encoder.encode(small);
    assert.equal(decodeTraceRequest(first).resourceSpans[0]!.scopeSpans[0]!.spans.length, 3000);
    assert.deepEqual(decodeTraceRequest(second).resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name), ['small']);
  });
});
