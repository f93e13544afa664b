import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as opentracing from 'opentracing';
import { createTestTracer } from '../../../src/testing/index.js';
import { initTracer } from '../../../src/config/init.js';
import { SpanContext } from '../../../src/tracer/span-context.js';
import type { Span } from '../../../src/tracer/span.js';

describe('ids', () => {
  test('trace ids are 32 and span ids 16 lowercase hex digits, random and never zero', () => {
    const { tracer } = createTestTracer();
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const context = tracer.startSpan('s').context();
      assert.match(context.toTraceId(), /^[0-9a-f]{32}$/);
      assert.match(context.toSpanId(), /^[0-9a-f]{16}$/);
      assert.notEqual(context.toTraceId(), '0'.repeat(32));
      assert.notEqual(context.toSpanId(), '0'.repeat(16));
      traceIds.add(context.toTraceId());
      spanIds.add(context.toSpanId());
    }
    assert.equal(traceIds.size, 5000);
    assert.equal(spanIds.size, 5000);
  });

  test('a child keeps the trace id and records its parent span id', () => {
    const { tracer } = createTestTracer();
    const root = tracer.startSpan('root');
    const child = tracer.startSpan('child', { childOf: root });
    assert.equal(child.context().toTraceId(), root.context().toTraceId());
    assert.equal(child.context().parentSpanId(), root.context().toSpanId());
    assert.equal(root.context().parentSpanId(), null);
  });
});

describe('startSpan options', () => {
  test('childOf accepts a span or a span context', () => {
    const { tracer } = createTestTracer();
    const root = tracer.startSpan('root');
    assert.equal(tracer.startSpan('a', { childOf: root }).context().parentSpanId(), root.context().toSpanId());
    assert.equal(tracer.startSpan('b', { childOf: root.context() }).context().parentSpanId(), root.context().toSpanId());
  });

  test('references: child_of is the parent, follows_from is kept, both recorded', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const a = tracer.startSpan('a');
    const b = tracer.startSpan('b');
    const span = tracer.startSpan('c', {
      references: [opentracing.followsFrom(a.context()), opentracing.childOf(b.context())],
    });
    assert.equal(span.context().parentSpanId(), b.context().toSpanId());
    span.finish();
    const [record] = finishedSpans();
    assert.deepEqual(record!.references.map((r) => [r.type, r.spanId]), [
      ['follows_from', a.context().toSpanId()],
      ['child_of', b.context().toSpanId()],
    ]);
  });

  test('a lone follows_from reference becomes the parent', () => {
    const { tracer } = createTestTracer();
    const a = tracer.startSpan('a');
    const span = tracer.startSpan('c', { references: [opentracing.followsFrom(a.context())] });
    assert.equal(span.context().parentSpanId(), a.context().toSpanId());
  });

  test('the active span is the parent unless ignoreActiveSpan or an explicit parent is given', () => {
    const { tracer } = createTestTracer();
    const other = tracer.startSpan('other');
    tracer.startActiveSpan('active', (active) => {
      assert.equal(tracer.startSpan('implicit').context().parentSpanId(), active.context().toSpanId());
      assert.equal(tracer.startSpan('root', { ignoreActiveSpan: true }).context().parentSpanId(), null);
      assert.equal(tracer.startSpan('explicit', { childOf: other }).context().parentSpanId(), other.context().toSpanId());
      assert.equal(tracer.startSpan('tags only', { tags: { a: 1 } }).context().parentSpanId(), active.context().toSpanId());
    });
  });

  test('contexts from another tracer implementation start a new root instead of failing', () => {
    const { tracer } = createTestTracer();
    const foreign = new opentracing.Tracer().startSpan('noop');
    const span = tracer.startSpan('x', { childOf: foreign });
    assert.equal(span.context().parentSpanId(), null);
    assert.match(span.context().toTraceId(), /^[0-9a-f]{32}$/);
  });

  test('startTime and finishTime in milliseconds give the duration in microseconds', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const span = tracer.startSpan('timed', { startTime: 1_700_000_000_000 });
    span.finish(1_700_000_000_012.5);
    const [record] = finishedSpans();
    assert.equal(record!.startTime, 1_700_000_000_000);
    assert.equal(record!.duration, 12_500);
  });

  test('initial tags are recorded', () => {
    const { tracer, finishedSpans } = createTestTracer();
    tracer.startSpan('t', { tags: { 'span.kind': 'client', n: 3 } }).finish();
    assert.deepEqual(finishedSpans()[0]!.tags, { 'sampler.type': 'const', 'sampler.param': true, 'span.kind': 'client', n: 3 });
  });
});

describe('Span', () => {
  test('tags, logs and operation name are recorded; a tag set twice keeps the last value', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const span = tracer.startSpan('first');
    span.setTag('a', 1).setTag('b', 'x').setTag('a', 2).addTags({ c: true, d: 1.5 });
    span.log({ event: 'cache.miss', key: 'k' }, 1_700_000_000_000);
    span.setOperationName('renamed');
    span.finish();
    const [record] = finishedSpans();
    assert.equal(record!.operationName, 'renamed');
    assert.deepEqual(record!.tags, { 'sampler.type': 'const', 'sampler.param': true, a: 2, b: 'x', c: true, d: 1.5 });
    assert.deepEqual(record!.logs, [{ timestamp: 1_700_000_000_000, fields: { event: 'cache.miss', key: 'k' } }]);
  });

  test('a second finish is a no-op and changes after finish are ignored', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const span = tracer.startSpan('once');
    span.finish();
    const duration = finishedSpans()[0]!.duration;
    span.setTag('late', true).log({ late: 1 }).setOperationName('late');
    span.finish(Date.now() + 60_000);
    const records = finishedSpans();
    assert.equal(records.length, 1);
    assert.equal(records[0]!.duration, duration);
    assert.equal(records[0]!.operationName, 'once');
    assert.equal(records[0]!.tags['late'], undefined);
    assert.equal(records[0]!.logs.length, 0);
  });

  test('baggage is inherited by children (copy on write) and not shared back', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const root = tracer.startSpan('root');
    root.setBaggageItem('user', 'u1');
    const child = tracer.startSpan('child', { childOf: root });
    child.setBaggageItem('tenant', 't1');
    assert.equal(child.getBaggageItem('user'), 'u1');
    assert.equal(root.getBaggageItem('tenant'), undefined);
    assert.equal(root.getBaggageItem('toString'), undefined);
    child.finish();
    assert.deepEqual(finishedSpans()[0]!.baggage, { user: 'u1', tenant: 't1' });
  });

  test('values over the configured limits are bounded', () => {
    const { tracer, finishedSpans } = createTestTracer({ limits: { maxTagValueLength: 10, maxTags: 3, maxLogs: 2, maxOperationNameLength: 5 } });
    const span = tracer.startSpan('a-long-operation-name');
    span.setTag('long', 'x'.repeat(1000)).setTag('t2', 1).setTag('t3', 2).setTag('t4', 3);
    for (let i = 0; i < 5; i++) span.log({ i, text: 'y'.repeat(100) });
    span.finish();
    const [record] = finishedSpans();
    assert.equal(record!.operationName, 'a-lon');
    // sampler.type and sampler.param count against the three tags allowed
    assert.deepEqual(Object.keys(record!.tags), ['sampler.type', 'sampler.param', 'long']);
    assert.equal(record!.tags['long'], 'x'.repeat(10));
    assert.equal(record!.logs.length, 2);
    assert.equal(record!.logs[0]!.fields['text'], 'y'.repeat(10));
  });

  test('tags appended by instrumentation replace a start tag of the same key, and keep the limits', () => {
    const sampler = { isSampled: () => ({ sampled: true, tags: ['span.kind', 'from-sampler', 'sampler.type', 'custom'] }) };
    const { tracer, finishedSpans } = createTestTracer({ limits: { maxTagValueLength: 4, maxTags: 4, maxLogs: 1, maxOperationNameLength: 50 } }, { sampler });
    const span = tracer._startSpanChildOf('GET', null);
    span._appendTag('span.kind', 'server');
    span._appendTag('http.url', '/a/long/path');
    span._appendTag('peer.port', 8080);
    span._appendTag('one.too.many', true);
    span.finish();
    span._appendTag('after.finish', 1);
    assert.deepEqual(finishedSpans()[0]!.tags, { 'span.kind': 'serv', 'sampler.type': 'cust', 'http.url': '/a/l', 'peer.port': 8080 });
  });

  test('log ignores non-object fields instead of throwing', () => {
    const { tracer } = createTestTracer();
    const span = tracer.startSpan('x');
    assert.doesNotThrow(() => span.log(null as unknown as Record<string, unknown>));
    assert.doesNotThrow(() => span.log('text' as unknown as Record<string, unknown>));
  });
});

describe('sampling decisions', () => {
  test('an unsampled span propagates its context but records and reports nothing', () => {
    const { tracer, finishedSpans } = createTestTracer({ sampler: { type: 'const', param: 0 } });
    const root = tracer.startSpan('root');
    root.setTag('a', 1).log({ b: 2 });
    root.setBaggageItem('k', 'v');
    const child = tracer.startSpan('child', { childOf: root });
    assert.equal(child.context().toTraceId(), root.context().toTraceId());
    assert.equal(child.context().isSampled(), false);
    assert.equal(child.getBaggageItem('k'), 'v');
    assert.equal(root.tags.length, 0);
    child.finish();
    root.finish();
    assert.deepEqual(finishedSpans(), []);
    assert.equal(tracer.stats().spansStarted, 2);
    assert.equal(tracer.stats().spansSampled, 0);
  });

  test('children follow the sampled flag of their parent, not the sampler', () => {
    const { tracer } = createTestTracer({ sampler: { type: 'const', param: 0 } });
    const sampledParent = new SpanContext([1, 2, 3, 4], 5, 6, 0, 0, 1, null);
    assert.equal(tracer.startSpan('c', { childOf: sampledParent }).context().isSampled(), true);
    const { tracer: always } = createTestTracer();
    const unsampledParent = new SpanContext([1, 2, 3, 4], 5, 6, 0, 0, 0, null);
    assert.equal(always.startSpan('c', { childOf: unsampledParent }).context().isSampled(), false);
  });

  test('a debug id forces sampling and is recorded on the root', () => {
    const { tracer, finishedSpans } = createTestTracer({ sampler: { type: 'const', param: 0 } });
    const debugOnly = new SpanContext([0, 0, 0, 0], 0, 0, 0, 0, 0, { b: '1' }, null, 'dbg-42');
    const span = tracer.startSpan('debugged', { childOf: debugOnly });
    assert.equal(span.context().isSampled(), true);
    assert.equal(span.context().isDebug(), true);
    assert.equal(span.getBaggageItem('b'), '1');
    span.finish();
    assert.equal(finishedSpans()[0]!.tags['jaeger-debug-id'], 'dbg-42');
  });

  test('root spans carry sampler.type and sampler.param, children do not', () => {
    const { tracer, finishedSpans } = createTestTracer({ sampler: { type: 'probabilistic', param: 1 } });
    const root = tracer.startSpan('root');
    tracer.startSpan('child', { childOf: root }).finish();
    root.finish();
    const [child, rootRecord] = finishedSpans();
    assert.equal(rootRecord!.tags['sampler.type'], 'probabilistic');
    assert.equal(rootRecord!.tags['sampler.param'], 1);
    assert.equal(child!.tags['sampler.type'], undefined);
  });
});

describe('tracer lifecycle and faults', () => {
  test('a reporter that throws never reaches the caller; the fault is counted', () => {
    const errors: string[] = [];
    const tracer = initTracer({ serviceName: 's', global: false }, {
      reporter: { report() { throw new Error('boom'); }, flush: async () => {}, close: async () => { throw new Error('close boom'); } },
      logger: { error: (m) => errors.push(m) },
    });
    assert.doesNotThrow(() => tracer.startSpan('x').finish());
    assert.doesNotThrow(() => tracer.startSpan('y').finish());
    assert.equal(tracer.stats().instrumentationFaults, 2);
    assert.equal(errors.length, 1, 'logged once');
    return tracer.close(); // rejects inside, must resolve
  });

  test('spans finished after close are dropped silently', async () => {
    const { tracer, finishedSpans } = createTestTracer();
    const early = tracer.startSpan('early');
    await tracer.close();
    early.finish();
    tracer.startSpan('late').finish();
    assert.deepEqual(finishedSpans(), []);
    assert.equal(tracer.isClosed, true);
    await tracer.close();
  });

  test('a disabled tracer is a no-op: nothing active, nothing injected, fn still runs', async () => {
    const tracer = initTracer({ serviceName: 's', disable: true, global: false });
    const carrier: Record<string, string> = {};
    const result = await tracer.startActiveSpan('x', async (span: Span) => {
      assert.equal(tracer.activeSpan(), null);
      tracer.inject(span, opentracing.FORMAT_HTTP_HEADERS, carrier);
      span.setTag('a', 1);
      span.finish();
      return 42;
    });
    assert.equal(result, 42);
    assert.deepEqual(carrier, {});
    assert.equal(tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': '1:2:0:1' }), null);
    assert.equal(tracer.stats().spansStarted, 0);
  });

  test('inject/extract with nonsense carriers and formats never throw', () => {
    const { tracer } = createTestTracer();
    const span = tracer.startSpan('x');
    for (const carrier of [null, undefined, 42, 'str', [], {}]) {
      for (const format of [opentracing.FORMAT_HTTP_HEADERS, opentracing.FORMAT_TEXT_MAP, opentracing.FORMAT_BINARY, 'bogus']) {
        assert.doesNotThrow(() => tracer.inject(span, format, carrier));
        assert.doesNotThrow(() => tracer.extract(format, carrier));
      }
    }
    assert.doesNotThrow(() => tracer.inject({} as opentracing.SpanContext, opentracing.FORMAT_TEXT_MAP, {}));
  });
});
