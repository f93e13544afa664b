// jaeger-client behaviour on our tracer, beyond what the differential suite can compare:
// accessors, close(callback), sampling.priority on unsampled spans, the jaeger-debug-id bucket,
// metrics that fail, users' own jaeger-style reporters, validation messages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMAT_HTTP_HEADERS, Tags } from 'opentracing';
import { initTracer } from '../../../src/config/init.js';
import { nowMs } from '../../../src/tracer/clock.js';
import { SpanContext } from '../../../src/tracer/span-context.js';
import type { Span } from '../../../src/tracer/span.js';
import { Tracer } from '../../../src/tracer/tracer.js';
import {
  CompositeReporter, InMemoryReporter, NoopReporter, PrometheusMetricsFactory, TextMapCodec, ZipkinB3TextMapCodec,
} from '../../../src/jaeger-client/index.js';
import type { MetricsFactory } from '../../../src/jaeger-client/index.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function countingFactory(): { factory: MetricsFactory; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const factory: MetricsFactory = {
    createCounter: (name, tags) => {
      const key = `${name}${tags ? JSON.stringify(tags) : ''}`;
      return { increment: (delta = 1) => void counts.set(key, (counts.get(key) ?? 0) + delta) };
    },
    createGauge: () => ({ update: () => {} }),
  };
  return { factory, counts };
}

function tracerWith(param: 0 | 1, options: Parameters<typeof initTracer>[1] = {}) {
  const reporter = new InMemoryReporter();
  const tracer = initTracer({ serviceName: 'compat', global: false, sampler: { type: 'const', param } }, { logger: quiet, reporter, ...options });
  return { tracer, reporter };
}

describe("SpanContext: jaeger-client's accessors", () => {
  test('string and Buffer ids, toString, flags, baggage, from a 64-bit context', () => {
    const context = SpanContext.withStringIds('00ab', '0c', '0000000000000d', 1, { user: 'u' });
    assert.equal(context.traceIdStr, 'ab');
    assert.equal(context.spanIdStr, 'c');
    assert.equal(context.parentIdStr, 'd');
    assert.equal(context.toString(), 'ab:c:d:1');
    assert.deepEqual(context.traceId, Buffer.from('00000000000000ab', 'hex'));
    assert.deepEqual(context.spanId, Buffer.from('000000000000000c', 'hex'));
    assert.deepEqual(context.parentId, Buffer.from('000000000000000d', 'hex'));
    assert.equal(context.isSampled(), true);
    assert.equal(context.isDebug(), false);
    assert.deepEqual(context.baggage, { user: 'u' });
    assert.deepEqual(context.withBaggageItem('k', 'v').baggage, { user: 'u', k: 'v' });
    assert.deepEqual(context.baggage, { user: 'u' }, 'withBaggageItem copies');
  });

  test('a root span of ours: 128-bit trace id Buffer, no parent, empty baggage object', () => {
    const { tracer } = tracerWith(1);
    const context = tracer.startSpan('root').context();
    assert.equal(context.traceId.length, 16);
    assert.equal(context.parentId, null);
    assert.equal(context.parentIdStr, null);
    assert.deepEqual(context.baggage, {});
    assert.match(context.toString(), /^[0-9a-f]{1,32}:[0-9a-f]{1,16}:0:1$/);
    assert.equal(SpanContext.fromString(context.toString())?.toTraceId(), context.toTraceId());
  });

  test('fromString rejects what jaeger-client rejects', () => {
    for (const bad of ['', 'a:b:c', 'x:1:0:1', '0:1:0:1', 'a:b:c:zz']) assert.equal(SpanContext.fromString(bad), null, bad);
    assert.equal(SpanContext.fromString('a:b:0:3')?.isDebug(), true);
  });
});

describe('close(callback)', () => {
  test('calls back after the reporter has closed, returns the promise, and calls back on every call', async () => {
    const events: string[] = [];
    const reporter = {
      report: () => {},
      flush: async () => {},
      close: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push('reporter closed');
      },
    };
    const tracer = initTracer({ serviceName: 'close', global: false }, { reporter, logger: quiet });
    const promise = tracer.close(() => events.push('first callback'));
    assert.ok(promise instanceof Promise);
    await promise;
    await new Promise<void>((resolve) => tracer.close(() => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['reporter closed', 'first callback']);
  });
});

describe('sampling.priority', () => {
  test('setTag > 0 on an unsampled span records it from then on, children included', () => {
    const { tracer, reporter } = tracerWith(0);
    const span = tracer.startSpan('late');
    span.setTag('before', 1);
    const before = nowMs(); // the tracer's clock (monotonic, anchored once), not Date.now()
    span.setTag(Tags.SAMPLING_PRIORITY, 1);
    span.setTag('after', 2);
    const child = tracer.startSpan('child', { childOf: span });
    child.finish();
    span.finish();
    assert.deepEqual(reporter.spans.map((s) => s.operationName), ['child', 'late']);
    const late = reporter.spans[1]!;
    assert.equal(late.getTag('before'), undefined, 'tags set while unsampled are not kept (as jaeger-client)');
    assert.equal(late.getTag('after'), 2);
    assert.equal(late.getTag(Tags.SAMPLING_PRIORITY), 1);
    assert.ok(late.startTime >= before - 1 && late.duration >= 0);
    assert.equal(child.context().isDebug(), true);
  });

  test('0 on a sampled span drops it; after finish nothing changes', () => {
    const { tracer, reporter } = tracerWith(1);
    const dropped = tracer.startSpan('dropped');
    dropped.setTag(Tags.SAMPLING_PRIORITY, 0);
    dropped.finish();
    const done = tracer.startSpan('done');
    done.finish();
    done.setTag(Tags.SAMPLING_PRIORITY, 0);
    assert.deepEqual(reporter.spans.map((s) => s.operationName), ['done']);
    assert.equal(done.context().isSampled(), true);
    const unsampled = tracerWith(0);
    const finished = unsampled.tracer.startSpan('finished first');
    finished.finish();
    finished.setTag(Tags.SAMPLING_PRIORITY, 1);
    finished.finish();
    assert.equal(unsampled.reporter.spans.length, 0, 'a finished span is not revived');
  });

  test('addTags applies the priority before the other tags, as jaeger-client does', () => {
    const { tracer, reporter } = tracerWith(0);
    const span = tracer.startSpan('tags');
    span.addTags({ first: 1, [Tags.SAMPLING_PRIORITY]: 2, last: 3 });
    span.finish();
    assert.deepEqual(reporter.spans[0]!.tags, [Tags.SAMPLING_PRIORITY, 2, 'first', 1, 'last', 3]);
  });
});

describe('odd arguments never throw', () => {
  test('sampling.priority values that are no numbers drop the span instead of throwing', () => {
    const { tracer, reporter } = tracerWith(1);
    for (const odd of [Symbol('p'), { valueOf: () => { throw new Error('no'); } }, 'abc', {}, NaN]) {
      const span = tracer.startSpan('odd');
      assert.doesNotThrow(() => span.setTag(Tags.SAMPLING_PRIORITY, odd));
      span.finish();
    }
    const forced = tracerWith(0);
    for (const value of ['1', true, 10n]) forced.tracer.startSpan(`forced ${String(value)}`, { tags: { [Tags.SAMPLING_PRIORITY]: value } }).finish();
    assert.equal(reporter.spans.length, 0);
    assert.equal(forced.reporter.spans.length, 3, "'1', true and 10n are above 0, as jaeger-client's `> 0` says");
  });

  test('registering something that is no codec is reported once and ignored', () => {
    const errors: string[] = [];
    const tracer = initTracer({ serviceName: 'odd', global: false }, { reporter: new InMemoryReporter(), logger: { error: (m) => errors.push(m) } });
    assert.doesNotThrow(() => tracer.registerInjector(FORMAT_HTTP_HEADERS, null as never));
    assert.doesNotThrow(() => tracer.registerExtractor(FORMAT_HTTP_HEADERS, {} as never));
    const headers: Record<string, string> = {};
    tracer.inject(tracer.startSpan('x'), FORMAT_HTTP_HEADERS, headers);
    assert.ok('uber-trace-id' in headers, 'the configured propagation still works');
    assert.equal(errors.length, 2);
  });
});

describe('jaeger-debug-id is bounded by a token bucket per tracer', () => {
  test('the default lets 5 a second force sampling; the others are counted and left to the sampler', () => {
    const { factory, counts } = countingFactory();
    const { tracer, reporter } = tracerWith(0, { metrics: factory });
    for (let i = 0; i < 12; i++) {
      tracer.startSpan('request', { childOf: tracer.extract(FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': `id-${i}` }) }).finish();
    }
    assert.equal(reporter.spans.length, 5);
    assert.equal(counts.get('jaeger:throttled_debug_spans'), 7);
  });

  test('debugTracesPerSecond: 0 ignores the header; a larger value allows more', () => {
    for (const [perSecond, expected] of [[0, 0], [20, 12]] as const) {
      const { tracer, reporter } = tracerWith(0, { debugTracesPerSecond: perSecond });
      for (let i = 0; i < 12; i++) {
        tracer.startSpan('request', { childOf: tracer.extract(FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'x' }) }).finish();
      }
      assert.equal(reporter.spans.length, expected, `debugTracesPerSecond ${perSecond}`);
    }
  });
});

describe('options.metrics and reporters never hurt the app', () => {
  test('a metrics backend that throws: spans start, finish and report as usual', () => {
    const throwing: MetricsFactory = {
      createCounter: () => ({ increment: () => { throw new Error('metrics down'); } }),
      createGauge: () => ({ update: () => { throw new Error('metrics down'); } }),
    };
    const { tracer, reporter } = tracerWith(1, { metrics: throwing });
    const span = tracer.startSpan('still works');
    span.setBaggageItem('k', 'v');
    span.finish();
    assert.equal(reporter.spans.length, 1);
  });

  test("a user's jaeger-style reporter: told the process, given spans, close waits for its callback", async () => {
    const seen: string[] = [];
    const reporter = {
      setProcess: (serviceName: string, tags: { key: string; value: unknown }[]) => seen.push(`process ${serviceName} ${tags.some((t) => t.key === 'hostname')}`),
      report: (span: Span) => seen.push(`span ${span.operationName}`),
      close: (callback: () => void) => setTimeout(() => {
        seen.push('closed');
        callback();
      }, 10),
    };
    const tracer = initTracer({ serviceName: 'own', global: false, sampler: { type: 'const', param: 1 } }, { reporter, logger: quiet });
    tracer.startSpan('one').finish();
    await tracer.close();
    assert.deepEqual(seen, ['process own true', 'span one', 'closed']);
  });

  test('CompositeReporter closes each member and calls back once', async () => {
    const memory = new InMemoryReporter();
    const composite = new CompositeReporter([memory, new NoopReporter()]);
    const calls: number[] = [];
    await composite.close(() => calls.push(1));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls, [1]);
  });
});

describe('codecs', () => {
  test('TextMapCodec with a custom context key and baggage prefix round-trips; a malformed id is counted', () => {
    const { factory, counts } = countingFactory();
    const codec = new TextMapCodec({ contextKey: 'My-Trace', baggagePrefix: 'Ctx-', urlEncoding: true, metrics: factory });
    const { tracer } = tracerWith(1);
    const span = tracer.startSpan('x');
    span.setBaggageItem('user', 'a b');
    const carrier: Record<string, string> = {};
    codec.inject(span.context(), carrier);
    assert.deepEqual(Object.keys(carrier).sort(), ['ctx-user', 'my-trace']);
    assert.equal(carrier['ctx-user'], 'a%20b');
    const back = codec.extract({ 'MY-TRACE': carrier['my-trace'], 'ctx-user': carrier['ctx-user'] });
    assert.equal(back.toTraceId(), span.context().toTraceId());
    assert.equal(back.toSpanId(), span.context().toSpanId());
    assert.deepEqual(back.baggage, { user: 'a b' });
    assert.equal(codec.extract({ 'my-trace': 'not:an:id' }).isValid, false);
    assert.equal(counts.get('jaeger:span_context_decoding_errors'), 1);
  });

  test('ZipkinB3TextMapCodec writes debug as X-B3-Flags and reads jaeger-debug-id', () => {
    const codec = new ZipkinB3TextMapCodec();
    const carrier: Record<string, string> = {};
    codec.inject(SpanContext.withStringIds('a', 'b', null, 3), carrier);
    assert.deepEqual(carrier, { 'x-b3-traceid': '000000000000000a', 'x-b3-spanid': '000000000000000b', 'x-b3-flags': '1' });
    assert.equal(codec.extract({ 'jaeger-debug-id': 'dbg' }).debugId, 'dbg');
  });
});

describe('validation', () => {
  test('initTracer names what is wrong', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => initTracer({ global: false }), /config\.serviceName must be a non-empty string/],
      [() => initTracer({ serviceName: 'x', global: false }, { metrics: {} as MetricsFactory }), /options\.metrics must be a metrics factory/],
      [() => initTracer({ serviceName: 'x', global: false }, { debugTracesPerSecond: -1 }), /options\.debugTracesPerSecond/],
      [() => new PrometheusMetricsFactory({} as never), /pass the prom-client module/],
    ];
    for (const [fn, message] of cases) assert.throws(fn, (error: unknown) => error instanceof TypeError && message.test(error.message));
    assert.doesNotThrow(() => initTracer({ disable: true, global: false }));
    assert.throws(() => new Tracer('svc' as never), /use initTracer\(\{ serviceName \}, \{ reporter, sampler \}\)/);
  });
});
