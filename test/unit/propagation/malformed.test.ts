import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import { createPropagation } from '../../../src/propagation/index.js';
import { createTestTracer } from '../../../src/testing/index.js';
import type { PropagatorName } from '../../../src/config/options.js';
import type { SpanContext } from '../../../src/tracer/span-context.js';

const ALL: PropagatorName[] = ['jaeger', 'tracecontext', 'baggage', 'b3', 'b3multi'];
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const TP = `00-${T}-${S}-01`;
const Z32 = '0'.repeat(32);
const Z16 = '0'.repeat(16);
const MB = 'a'.repeat(1 << 20);

interface Case {
  name: string;
  carrier: object;
  /** What survives: absent means extract returns null (the tracer then starts a new root). */
  valid?: { spanId?: string; baggage?: Record<string, string>; traceState?: string | null };
}

const jaeger = (value: string): Case['carrier'] => ({ 'uber-trace-id': value });
const w3c = (value: unknown): Case['carrier'] => ({ traceparent: value });
const b3 = (value: string): Case['carrier'] => ({ b3: value });

const CASES: Case[] = [
  // Jaeger uber-trace-id
  { name: 'jaeger: three fields', carrier: jaeger(`${T}:${S}:1`) },
  { name: 'jaeger: five fields', carrier: jaeger(`${T}:${S}:0:1:0`) },
  { name: 'jaeger: 33-digit trace id', carrier: jaeger(`a${T}:${S}:0:1`) },
  { name: 'jaeger: 17-digit span id', carrier: jaeger(`${T}:a${S}:0:1`) },
  { name: 'jaeger: non-hex trace id', carrier: jaeger(`${T.slice(0, 31)}g:${S}:0:1`) },
  { name: 'jaeger: all-zero trace id', carrier: jaeger(`${Z32}:${S}:0:1`) },
  { name: 'jaeger: zero span id', carrier: jaeger(`${T}:0:0:1`) },
  { name: 'jaeger: empty fields', carrier: jaeger(':::') },
  { name: 'jaeger: empty value', carrier: jaeger('') },
  { name: 'jaeger: non-hex flags', carrier: jaeger(`${T}:${S}:0:zz`) },
  { name: 'jaeger: three-digit flags', carrier: jaeger(`${T}:${S}:0:100`) },
  { name: 'jaeger: non-hex parent id', carrier: jaeger(`${T}:${S}:xyz:1`) },
  { name: 'jaeger: 1 MB trace id', carrier: jaeger(`${MB}:${S}:0:1`) },
  { name: 'jaeger: fullwidth unicode digit', carrier: jaeger(`\uff14${T.slice(1)}:${S}:0:1`) },
  { name: 'jaeger: broken URL encoding', carrier: jaeger(`${T}%3A${S}%3A0%3A%E0%A4%A`) },
  { name: 'jaeger: signed trace id', carrier: jaeger(`-${T.slice(1)}:${S}:0:1`) },
  { name: 'jaeger: leading space inside the value', carrier: jaeger(` ${T}:${S}:0:1`) },
  { name: 'jaeger: 1 MB jaeger-debug-id alone', carrier: { 'jaeger-debug-id': MB } },
  // W3C traceparent
  { name: 'w3c: version ff', carrier: w3c(`ff-${T}-${S}-01`) },
  { name: 'w3c: version 00 with an extra field', carrier: w3c(`${TP}-extra`) },
  { name: 'w3c: 54 characters', carrier: w3c(TP.slice(0, 54)) },
  { name: 'w3c: uppercase hex', carrier: w3c(`00-${T.toUpperCase()}-${S}-01`) },
  { name: 'w3c: all-zero trace id', carrier: w3c(`00-${Z32}-${S}-01`) },
  { name: 'w3c: all-zero parent id', carrier: w3c(`00-${T}-${Z16}-01`) },
  { name: 'w3c: non-hex flags', carrier: w3c(`00-${T}-${S}-0g`) },
  { name: 'w3c: underscores for dashes', carrier: w3c(`00_${T}_${S}_01`) },
  { name: 'w3c: non-hex version', carrier: w3c(`0x-${T}-${S}-01`) },
  { name: 'w3c: future version, no dash after the flags', carrier: w3c(`01-${T}-${S}-01x`) },
  { name: 'w3c: 1 MB traceparent', carrier: w3c(`${TP}${MB}`) },
  { name: 'w3c: unicode in the trace id', carrier: w3c(`00-${T.slice(0, 31)}\u00e9-${S}-01`) },
  { name: 'w3c: two different traceparents', carrier: w3c([TP, `00-${T}-${'1'.repeat(16)}-01`]) },
  { name: 'w3c: array of non-strings', carrier: w3c([1, 2]) },
  { name: 'w3c: 1 MB tracestate keeps the context, drops the state', carrier: { traceparent: TP, tracestate: `a=${MB}` }, valid: { spanId: S, traceState: null } },
  { name: 'w3c: CRLF in tracestate keeps the context, drops the state', carrier: { traceparent: TP, tracestate: 'a=b\r\nx-evil: 1' }, valid: { spanId: S, traceState: null } },
  // B3
  { name: 'b3 multi: 15-digit trace id', carrier: { 'x-b3-traceid': T.slice(0, 15), 'x-b3-spanid': S } },
  { name: 'b3 multi: span id missing', carrier: { 'x-b3-traceid': T, 'x-b3-sampled': '1' } },
  { name: 'b3 multi: sampled is neither 0/1 nor true/false', carrier: { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-sampled': 'maybe' } },
  { name: 'b3 multi: all-zero trace id', carrier: { 'x-b3-traceid': Z16, 'x-b3-spanid': S } },
  { name: 'b3 single: sampling only (0)', carrier: b3('0') },
  { name: 'b3 single: sampling only (1)', carrier: b3('1') },
  { name: 'b3 single: sampling only (d)', carrier: b3('d') },
  { name: 'b3 single: bad sampling state', carrier: b3(`${T}-${S}-x`) },
  { name: 'b3 single: five fields', carrier: b3(`${T}-${S}-1-${S}-extra`) },
  { name: 'b3 single: all-zero trace id', carrier: b3(`${Z32}-${S}-1`) },
  { name: 'b3 single: 15-digit span id', carrier: b3(`${T}-${S.slice(1)}-1`) },
  { name: 'b3 single: 1 MB', carrier: b3(`${MB}-${S}`) },
  // Baggage, next to a valid traceparent: the ids survive, the bad members do not.
  { name: 'baggage: one 1 MB member', carrier: { traceparent: TP, baggage: `k=${MB}` }, valid: { spanId: S, baggage: {} } },
  { name: 'baggage: 1 MB value in uberctx-*', carrier: { traceparent: TP, 'uberctx-k': MB, 'uberctx-ok': '1' }, valid: { spanId: S, baggage: { ok: '1' } } },
  { name: 'baggage: CRLF injection, percent-encoded', carrier: { traceparent: TP, baggage: 'k=a%0D%0Ax-evil:%201' }, valid: { spanId: S, baggage: { k: 'a\r\nx-evil: 1' } } },
  { name: 'baggage: CRLF in an uberctx key', carrier: { traceparent: TP, 'uberctx-a\r\nx-evil': 'v' }, valid: { spanId: S, baggage: { 'a\r\nx-evil': 'v' } } },
  { name: 'baggage: = and , in values, bare member, properties', carrier: { traceparent: TP, baggage: 'a=b=c,d,e=f;prop=1' }, valid: { spanId: S, baggage: { a: 'b=c', e: 'f' } } },
  { name: 'baggage: broken percent encoding', carrier: { traceparent: TP, baggage: 'k=%E0%A4%A,ok=1' }, valid: { spanId: S, baggage: { ok: '1' } } },
  { name: 'baggage: space inside a key', carrier: { traceparent: TP, baggage: 'a b=c' }, valid: { spanId: S, baggage: {} } },
  { name: 'baggage: __proto__ and constructor keys', carrier: { traceparent: TP, baggage: '__proto__=polluted,constructor=x' }, valid: { spanId: S, baggage: { ['__proto__']: 'polluted', constructor: 'x' } } },
  { name: 'baggage: uberctx-__proto__', carrier: { traceparent: TP, 'uberctx-__proto__': 'polluted' }, valid: { spanId: S, baggage: { ['__proto__']: 'polluted' } } },
  { name: 'carrier: own __proto__ key from JSON', carrier: JSON.parse(`{"__proto__": {"traceparent": "${TP}"}}`) as object },
  { name: 'carrier: values of the wrong types', carrier: { traceparent: 42, 'uber-trace-id': {}, b3: null, baggage: [1, {}], 'x-b3-traceid': [T, T] } },
];

const MANY = Array.from({ length: 1000 }, (_, i) => `k${i}=v`).join(',');

function baggageOf(context: SpanContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(context.baggage ?? {})) Object.defineProperty(out, key, { value: context.baggage![key], enumerable: true });
  return out;
}

function assertSendable(carrier: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(carrier)) {
    assert.doesNotThrow(() => validateHeaderName(name), `header name ${JSON.stringify(name)}`);
    assert.equal(typeof value, 'string');
    assert.doesNotThrow(() => validateHeaderValue(name, value as string), `header value of ${name}`);
  }
}

describe(`malformed input (${CASES.length} cases): extract never throws, keeps only the valid part`, () => {
  const propagation = createPropagation(ALL);
  const { tracer, finishedSpans, reset } = createTestTracer({ propagators: ALL });

  assert.ok(CASES.length >= 40);
  for (const { name, carrier, valid } of CASES) {
    test(name, () => {
      for (const format of [FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP]) {
        let context: SpanContext | null = null;
        assert.doesNotThrow(() => {
          context = propagation.extract(format, carrier);
        });
        const extracted = context as SpanContext | null;
        if (valid === undefined) {
          assert.equal(extracted, null);
          continue;
        }
        assert.ok(extracted !== null);
        if (valid.spanId !== undefined) assert.equal(extracted.toSpanId(), valid.spanId);
        if (valid.baggage !== undefined) assert.deepEqual(baggageOf(extracted), valid.baggage);
        if (valid.traceState !== undefined) assert.equal(extracted.traceState, valid.traceState);
      }

      reset();
      const span = tracer.startSpan('server', { childOf: tracer.extract(FORMAT_HTTP_HEADERS, carrier) });
      const outgoing: Record<string, unknown> = {};
      tracer.inject(span, FORMAT_HTTP_HEADERS, outgoing);
      assertSendable(outgoing);
      span.finish();
      const [record] = finishedSpans();
      if (valid?.spanId === undefined) {
        assert.equal(record!.parentSpanId, null, 'a new root span');
        assert.notEqual(record!.traceId, T);
        assert.match(record!.traceId, /^[0-9a-f]{32}$/);
      } else {
        assert.equal(record!.parentSpanId, valid.spanId);
      }
      assert.equal(tracer.stats().instrumentationFaults, 0, 'nothing was thrown and caught inside the tracer');
    });
  }

  test('a baggage header of 1000 members keeps at most 180 within 8192 bytes', () => {
    const context = propagation.extract(FORMAT_HTTP_HEADERS, { traceparent: TP, baggage: MANY, 'uberctx-extra': 'x' });
    const keys = Object.keys(context?.baggage ?? {});
    assert.equal(keys.length, 180);
    assert.ok(!keys.includes('extra'), 'the limits hold across styles');
  });

  test('nothing reached Object.prototype', () => {
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
    const context = propagation.extract(FORMAT_HTTP_HEADERS, { traceparent: TP, baggage: '__proto__=polluted' });
    assert.equal(Object.getPrototypeOf(context!.baggage), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(context!.baggage, '__proto__')?.value, 'polluted');
  });

  test('a carrier whose getter throws: the tracer returns null and counts the fault', () => {
    const hostile = Object.defineProperty({}, 'traceparent', { enumerable: true, get: () => { throw new Error('boom'); } });
    const before = tracer.stats().instrumentationFaults;
    assert.equal(tracer.extract(FORMAT_HTTP_HEADERS, hostile), null);
    assert.equal(tracer.stats().instrumentationFaults, before + 1);
  });

  test('carriers that are not objects', () => {
    for (const carrier of [null, undefined, 'traceparent', 42, Symbol('x')]) {
      assert.equal(propagation.extract(FORMAT_HTTP_HEADERS, carrier), null);
      assert.doesNotThrow(() => propagation.inject(tracer.startSpan('x').context(), FORMAT_HTTP_HEADERS, carrier));
    }
  });
});
