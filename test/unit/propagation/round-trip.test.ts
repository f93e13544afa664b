import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import { createTestTracer } from '../../../src/testing/index.js';
import type { PropagatorName } from '../../../src/config/options.js';

type Carrier = Record<string, unknown>;

/** What HTTP does to header names on the way: Node hands the server lowercase keys. */
function overHttp(carrier: Carrier): Carrier {
  return Object.fromEntries(Object.entries(carrier).map(([name, value]) => [name.toLowerCase(), value]));
}

const SETS: { names: PropagatorName[]; baggage: boolean; headers: string[] }[] = [
  { names: ['jaeger'], baggage: true, headers: ['uber-trace-id'] },
  { names: ['tracecontext'], baggage: false, headers: ['traceparent'] },
  { names: ['baggage', 'tracecontext'], baggage: true, headers: ['traceparent', 'baggage'] },
  { names: ['b3'], baggage: false, headers: ['b3'] },
  { names: ['b3multi'], baggage: false, headers: ['x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled'] },
  { names: ['jaeger', 'tracecontext', 'baggage'], baggage: true, headers: ['uber-trace-id', 'traceparent', 'baggage'] },
  { names: ['tracecontext', 'jaeger', 'b3', 'b3multi', 'baggage'], baggage: true, headers: ['traceparent', 'uber-trace-id', 'b3', 'x-b3-traceid'] },
];

describe('round trip through a real tracer: inject from a span, extract, start a child', () => {
  for (const { names, baggage, headers } of SETS) {
    for (const format of [FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP]) {
      test(`${names.join(',')} (${format})`, () => {
        const { tracer, finishedSpans } = createTestTracer({ propagators: names });
        const root = tracer.startSpan('root');
        const upstream = tracer.startSpan('upstream', { childOf: root });
        upstream.setBaggageItem('userId', 'alice smith');
        upstream.setBaggageItem('order', 'a=1,b=2;c');
        const carrier: Carrier = { accept: 'application/json' };
        tracer.inject(upstream, format, carrier);
        for (const name of headers) assert.equal(typeof carrier[name], 'string', `${name} injected`);
        assert.equal(carrier.accept, 'application/json', 'other headers kept');

        const http = format === FORMAT_HTTP_HEADERS;
        const extracted = tracer.extract(format, http ? overHttp(carrier) : carrier);
        assert.ok(extracted !== null && extracted.isValid);
        tracer.startSpan('downstream', { childOf: extracted }).finish();
        upstream.finish();
        const [child, parent] = finishedSpans();
        assert.equal(child!.traceId, parent!.traceId);
        assert.equal(child!.parentSpanId, parent!.spanId);
        assert.notEqual(child!.spanId, parent!.spanId);
        assert.equal(child!.sampled, true);
        // uberctx-* alone cannot keep a key's case over HTTP (jaeger-client behaves the same).
        const userKey = http && !names.includes('baggage') ? 'userid' : 'userId';
        assert.deepEqual(child!.baggage, baggage ? { [userKey]: 'alice smith', order: 'a=1,b=2;c' } : {});
      });
    }
  }

  for (const names of [['jaeger'], ['tracecontext'], ['b3'], ['b3multi']] as PropagatorName[][]) {
    test(`${names[0]}: the unsampled decision travels`, () => {
      const { tracer, finishedSpans } = createTestTracer({ propagators: names, sampler: { type: 'const', param: 0 } });
      const upstream = tracer.startSpan('upstream');
      const carrier: Carrier = {};
      tracer.inject(upstream, FORMAT_HTTP_HEADERS, carrier);
      const extracted = tracer.extract(FORMAT_HTTP_HEADERS, carrier);
      assert.equal(extracted?.isSampled(), false);
      assert.equal(extracted?.toTraceId(), upstream.context().toTraceId());
      const child = tracer.startSpan('downstream', { childOf: extracted });
      assert.equal(child.context().isSampled(), false);
      child.finish();
      assert.deepEqual(finishedSpans(), []);
    });
  }
});

describe('debug flag', () => {
  const cases: [PropagatorName, Carrier, string, string][] = [
    ['jaeger', { 'uber-trace-id': '4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:3' }, 'uber-trace-id', ':3'],
    ['b3', { b3: '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-d' }, 'b3', '-d-00f067aa0ba902b7'],
    ['b3multi', { 'x-b3-traceid': '4bf92f3577b34da6a3ce929d0e0e4736', 'x-b3-spanid': '00f067aa0ba902b7', 'x-b3-flags': '1' }, 'x-b3-flags', '1'],
  ];
  for (const [name, incoming, header, suffix] of cases) {
    test(`${name}: debug is read, forces sampling and is passed on`, () => {
      const { tracer, finishedSpans } = createTestTracer({ propagators: [name], sampler: { type: 'const', param: 0 } });
      const extracted = tracer.extract(FORMAT_HTTP_HEADERS, incoming);
      assert.equal(extracted?.isDebug(), true);
      assert.equal(extracted?.isSampled(), true, 'debug implies sampled');
      const child = tracer.startSpan('server', { childOf: extracted });
      const outgoing: Carrier = {};
      tracer.inject(child, FORMAT_HTTP_HEADERS, outgoing);
      assert.ok(String(outgoing[header]).endsWith(suffix), `${header}: ${String(outgoing[header])}`);
      if (name === 'b3multi') assert.equal(outgoing['x-b3-sampled'], undefined, 'B3: debug replaces the sampled header');
      child.finish();
      assert.equal(finishedSpans().length, 1);
    });
  }

  test('jaeger-debug-id alone starts a sampled debug root tagged with the id, with jaeger-baggage', () => {
    const { tracer, finishedSpans } = createTestTracer({ propagators: ['jaeger'], sampler: { type: 'const', param: 0 } });
    const extracted = tracer.extract(FORMAT_HTTP_HEADERS, { 'Jaeger-Debug-Id': 'curl-1234', 'jaeger-baggage': 'k1=v1, k2=v2' });
    assert.ok(extracted !== null);
    assert.equal(extracted.isValid, false);
    assert.equal(extracted.debugId, 'curl-1234');
    tracer.startSpan('server', { childOf: extracted }).finish();
    const [record] = finishedSpans();
    assert.equal(record!.parentSpanId, null);
    assert.equal(record!.sampled, true);
    assert.equal(record!.tags['jaeger-debug-id'], 'curl-1234');
    assert.deepEqual(record!.baggage, { k1: 'v1', k2: 'v2' });
  });
});
