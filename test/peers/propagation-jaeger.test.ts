// Cross-check with jaeger-client's own codecs (uber-trace-id, uberctx-*, jaeger-debug-id), in both
// directions and both carrier formats.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import { createTestTracer } from '../../src/testing/index.js';

interface JaegerContext {
  readonly traceIdStr: string;
  readonly spanIdStr: string;
  readonly parentIdStr: string | null;
  readonly baggage: Record<string, string>;
  readonly debugId: string;
  isSampled(): boolean;
  isDebug(): boolean;
}
interface JaegerSpan {
  context(): JaegerContext;
  setBaggageItem(key: string, value: string): JaegerSpan;
  finish(): void;
}
interface JaegerTracer {
  startSpan(name: string, options?: { childOf?: JaegerContext | JaegerSpan }): JaegerSpan;
  inject(context: JaegerContext | JaegerSpan, format: string, carrier: object): void;
  extract(format: string, carrier: object): JaegerContext | null;
  close(callback?: () => void): void;
}
interface JaegerClient {
  Tracer: new (service: string, reporter: object, sampler: object, options?: { traceId128bit?: boolean }) => JaegerTracer;
  InMemoryReporter: new () => object;
  ConstSampler: new (decision: boolean) => object;
}

const jaeger = createRequire(import.meta.url)('jaeger-client') as JaegerClient;

function jaegerTracer(sampled = true, traceId128bit = true): JaegerTracer {
  return new jaeger.Tracer('peer', new jaeger.InMemoryReporter(), new jaeger.ConstSampler(sampled), { traceId128bit });
}

/** jaeger-client drops leading zeros from ids; ours are fixed width. */
const pad = (hex: string, width: number): string => hex.padStart(width, '0');

// jaeger-client lowercases baggage keys itself; values with spaces and separators test encoding
// (its TEXT_MAP codec does not URL-encode, so those values stay plain there).
const BAGGAGE_HTTP = { 'user-id': 'alice smith', cart: 'a=1,b=2;c%', city: 'Zürich' };
const BAGGAGE_TEXT = { 'user-id': 'alice', cart: 'a=1;b' };

describe('jaeger-client injects, we extract', () => {
  for (const [format, baggage] of [[FORMAT_HTTP_HEADERS, BAGGAGE_HTTP], [FORMAT_TEXT_MAP, BAGGAGE_TEXT]] as const) {
    for (const traceId128bit of [true, false]) {
      test(`${format}, ${traceId128bit ? 128 : 64}-bit trace id`, () => {
        const peer = jaegerTracer(true, traceId128bit);
        const root = peer.startSpan('root');
        const span = peer.startSpan('client', { childOf: root });
        for (const [key, value] of Object.entries(baggage)) span.setBaggageItem(key, value);
        const carrier: Record<string, string> = {};
        peer.inject(span, format, carrier);

        const { tracer, finishedSpans } = createTestTracer({ propagators: ['jaeger'] });
        const context = tracer.extract(format, carrier);
        assert.ok(context !== null);
        const theirs = span.context();
        assert.equal(context.toTraceId(), pad(theirs.traceIdStr, 32));
        assert.equal(context.toSpanId(), pad(theirs.spanIdStr, 16));
        assert.equal(context.parentSpanId(), pad(theirs.parentIdStr!, 16));
        assert.equal(context.isSampled(), true);
        assert.equal(context.isDebug(), false);
        assert.deepEqual({ ...context.baggage }, baggage);
        tracer.startSpan('server', { childOf: context }).finish();
        assert.equal(finishedSpans()[0]!.parentSpanId, pad(theirs.spanIdStr, 16));
        peer.close();
      });
    }
  }

  test('an unsampled decision', () => {
    const peer = jaegerTracer(false);
    const carrier: Record<string, string> = {};
    peer.inject(peer.startSpan('client'), FORMAT_HTTP_HEADERS, carrier);
    const context = createTestTracer({ propagators: ['jaeger'] }).tracer.extract(FORMAT_HTTP_HEADERS, carrier);
    assert.equal(context?.isSampled(), false);
    assert.equal(context?.parentSpanId(), null);
    peer.close();
  });

  test('a debug span (started from their jaeger-debug-id handling)', () => {
    const peer = jaegerTracer(false);
    const debugParent = peer.extract(FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'curl-1' });
    const span = peer.startSpan('client', { childOf: debugParent! });
    assert.equal(span.context().isDebug(), true);
    const carrier: Record<string, string> = {};
    peer.inject(span, FORMAT_HTTP_HEADERS, carrier);
    const context = createTestTracer({ propagators: ['jaeger'] }).tracer.extract(FORMAT_HTTP_HEADERS, carrier);
    assert.equal(context?.isDebug(), true);
    assert.equal(context?.isSampled(), true);
    peer.close();
  });
});

describe('we inject, jaeger-client extracts', () => {
  for (const [format, baggage] of [[FORMAT_HTTP_HEADERS, BAGGAGE_HTTP], [FORMAT_TEXT_MAP, BAGGAGE_TEXT]] as const) {
    test(format, () => {
      const { tracer } = createTestTracer({ propagators: ['jaeger', 'tracecontext', 'baggage'] });
      const root = tracer.startSpan('root');
      const span = tracer.startSpan('client', { childOf: root });
      for (const [key, value] of Object.entries(baggage)) span.setBaggageItem(key, value);
      const carrier: Record<string, string> = {};
      tracer.inject(span, format, carrier);

      const peer = jaegerTracer(false);
      const theirs = peer.extract(format, carrier);
      assert.ok(theirs !== null);
      assert.equal(pad(theirs.traceIdStr, 32), span.context().toTraceId());
      assert.equal(pad(theirs.spanIdStr, 16), span.context().toSpanId());
      assert.equal(pad(theirs.parentIdStr!, 16), root.context().toSpanId());
      assert.equal(theirs.isSampled(), true);
      assert.equal(theirs.isDebug(), false);
      assert.deepEqual({ ...theirs.baggage }, baggage);
      const child = peer.startSpan('server', { childOf: theirs });
      assert.equal(pad(child.context().traceIdStr, 32), span.context().toTraceId());
      assert.equal(pad(child.context().parentIdStr!, 16), span.context().toSpanId());
      peer.close();
    });
  }

  test('a 64-bit trace keeps 16 digits, unsampled and debug flags survive', () => {
    const { tracer } = createTestTracer({ propagators: ['jaeger'], sampler: { type: 'const', param: 0 } });
    const peer = jaegerTracer(false);
    const unsampled = tracer.extract(FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'a3ce929d0e0e4736:a3ce929d0e0e4736:0:0' });
    const outgoing: Record<string, string> = {};
    tracer.inject(tracer.startSpan('client', { childOf: unsampled }), FORMAT_HTTP_HEADERS, outgoing);
    const theirs = peer.extract(FORMAT_HTTP_HEADERS, outgoing);
    assert.equal(theirs?.traceIdStr, 'a3ce929d0e0e4736');
    assert.equal(theirs?.isSampled(), false);

    const debug = tracer.extract(FORMAT_HTTP_HEADERS, { 'uber-trace-id': 'a3ce929d0e0e4736:a3ce929d0e0e4736:0:3' });
    const debugOut: Record<string, string> = {};
    tracer.inject(tracer.startSpan('client', { childOf: debug }), FORMAT_HTTP_HEADERS, debugOut);
    const theirDebug = peer.extract(FORMAT_HTTP_HEADERS, debugOut);
    assert.equal(theirDebug?.isDebug(), true);
    assert.equal(theirDebug?.isSampled(), true);
    peer.close();
  });
});
