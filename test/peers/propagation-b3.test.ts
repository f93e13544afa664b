// Cross-check with @opentelemetry/propagator-b3, single and multi header, both directions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, TraceFlags, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import type { PropagatorName } from '../../src/config/options.js';
import { createTestTracer } from '../../src/testing/index.js';

const ENCODINGS: [PropagatorName, B3InjectEncoding][] = [
  ['b3', B3InjectEncoding.SINGLE_HEADER],
  ['b3multi', B3InjectEncoding.MULTI_HEADER],
];

function inject(propagator: B3Propagator, context: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, defaultTextMapSetter);
  return carrier;
}

for (const [name, encoding] of ENCODINGS) {
  const peer = new B3Propagator({ injectEncoding: encoding });

  describe(`${name}: OpenTelemetry injects, we extract`, () => {
    for (const [traceFlags, traceId] of [[TraceFlags.SAMPLED, '4bf92f3577b34da6a3ce929d0e0e4736'], [TraceFlags.NONE, '0000000000000000a3ce929d0e0e4736']] as const) {
      test(`trace flags ${traceFlags}, trace id ${traceId}`, () => {
        const carrier = inject(peer, trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '00f067aa0ba902b7', traceFlags }));
        const { tracer, finishedSpans } = createTestTracer({ propagators: [name] });
        const context = tracer.extract(FORMAT_HTTP_HEADERS, carrier);
        assert.ok(context !== null);
        assert.equal(context.toTraceId(), traceId);
        assert.equal(context.toSpanId(), '00f067aa0ba902b7');
        assert.equal(context.isSampled(), traceFlags === TraceFlags.SAMPLED);
        assert.equal(context.isDebug(), false);
        tracer.startSpan('server', { childOf: context }).finish();
        assert.equal(finishedSpans().length, traceFlags === TraceFlags.SAMPLED ? 1 : 0);
      });
    }

    test('debug', () => {
      // Their debug flag lives in their context, set when they extract a debug header (of the
      // same encoding: their single-header debug value does not carry over to multi).
      const debugHeaders = name === 'b3'
        ? { b3: '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-d' }
        : { 'x-b3-traceid': '4bf92f3577b34da6a3ce929d0e0e4736', 'x-b3-spanid': '00f067aa0ba902b7', 'x-b3-flags': '1' };
      const carrier = inject(peer, peer.extract(ROOT_CONTEXT, debugHeaders, defaultTextMapGetter));
      const context = createTestTracer({ propagators: [name] }).tracer.extract(FORMAT_HTTP_HEADERS, carrier);
      assert.equal(context?.isDebug(), true);
      assert.equal(context?.isSampled(), true);
    });
  });

  describe(`${name}: we inject, OpenTelemetry extracts`, () => {
    for (const sampled of [true, false]) {
      test(sampled ? 'sampled' : 'unsampled', () => {
        const { tracer } = createTestTracer({ propagators: [name], sampler: { type: 'const', param: sampled ? 1 : 0 } });
        const root = tracer.startSpan('root');
        const span = tracer.startSpan('client', { childOf: root });
        const carrier: Record<string, string> = {};
        tracer.inject(span, FORMAT_HTTP_HEADERS, carrier);
        const theirs = trace.getSpanContext(peer.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter));
        assert.equal(theirs?.traceId, span.context().toTraceId());
        assert.equal(theirs?.spanId, span.context().toSpanId());
        assert.equal(theirs?.traceFlags, sampled ? TraceFlags.SAMPLED : TraceFlags.NONE);
      });
    }

    test('a 64-bit trace id and the debug flag', () => {
      const { tracer } = createTestTracer({ propagators: [name] });
      const incoming = { b3: 'a3ce929d0e0e4736-00f067aa0ba902b7-d' };
      const debug = createTestTracer({ propagators: ['b3'] }).tracer.extract(FORMAT_HTTP_HEADERS, incoming);
      const child = tracer.startSpan('client', { childOf: debug });
      const carrier: Record<string, string> = {};
      tracer.inject(child, FORMAT_HTTP_HEADERS, carrier);
      const extracted = peer.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
      assert.equal(trace.getSpanContext(extracted)?.traceId, '0000000000000000a3ce929d0e0e4736');
      assert.equal(trace.getSpanContext(extracted)?.traceFlags, TraceFlags.SAMPLED);
      // Re-injected by them, the debug flag is still there: they read it from our headers.
      const again = inject(peer, extracted);
      if (name === 'b3') assert.ok(again.b3?.endsWith('-d'), again.b3);
      else assert.equal(again['x-b3-flags'], '1');
    });
  });
}
