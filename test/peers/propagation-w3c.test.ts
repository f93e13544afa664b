// Cross-check with OpenTelemetry's W3C Trace Context and Baggage propagators, both directions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, TraceFlags, defaultTextMapGetter, defaultTextMapSetter, propagation, trace } from '@opentelemetry/api';
import type { Context, SpanContext as OtelSpanContext } from '@opentelemetry/api';
import { TraceState, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { createTestTracer } from '../../src/testing/index.js';

const traceContext = new W3CTraceContextPropagator();
const baggagePropagator = new W3CBaggagePropagator();
const BAGGAGE = { userId: 'alice smith', cart: 'a=1,b=2;c%', city: 'Zürich', 'odd key': 'v' };

function otelContext(spanContext: OtelSpanContext, baggage: Record<string, string>): Context {
  const entries = Object.fromEntries(Object.entries(baggage).map(([key, value]) => [key, { value }]));
  return propagation.setBaggage(trace.setSpanContext(ROOT_CONTEXT, spanContext), propagation.createBaggage(entries));
}

function otelInject(context: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  traceContext.inject(context, carrier, defaultTextMapSetter);
  baggagePropagator.inject(context, carrier, defaultTextMapSetter);
  return carrier;
}

function otelExtract(carrier: Record<string, unknown>): { spanContext: OtelSpanContext | undefined; baggage: Record<string, string> } {
  let context = traceContext.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  context = baggagePropagator.extract(context, carrier, defaultTextMapGetter);
  const entries = propagation.getBaggage(context)?.getAllEntries() ?? [];
  return { spanContext: trace.getSpanContext(context), baggage: Object.fromEntries(entries.map(([key, entry]) => [key, entry.value])) };
}

describe('OpenTelemetry injects, we extract', () => {
  for (const traceFlags of [TraceFlags.SAMPLED, TraceFlags.NONE]) {
    test(`trace flags ${traceFlags}, tracestate and baggage`, () => {
      const spanContext: OtelSpanContext = {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        traceFlags,
        traceState: new TraceState('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'),
      };
      const carrier = otelInject(otelContext(spanContext, BAGGAGE));
      const { tracer } = createTestTracer({ propagators: ['tracecontext', 'baggage'] });
      const context = tracer.extract(FORMAT_HTTP_HEADERS, carrier);
      assert.ok(context !== null);
      assert.equal(context.toTraceId(), spanContext.traceId);
      assert.equal(context.toSpanId(), spanContext.spanId);
      assert.equal(context.isSampled(), traceFlags === TraceFlags.SAMPLED);
      assert.equal(context.traceState, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
      assert.deepEqual({ ...context.baggage }, BAGGAGE);
    });
  }

  test('a child of their context, injected by us, is read back by them with the same trace', () => {
    const carrier = otelInject(otelContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }, {}));
    const { tracer, finishedSpans } = createTestTracer({ propagators: ['tracecontext', 'baggage'] });
    const child = tracer.startSpan('server', { childOf: tracer.extract(FORMAT_HTTP_HEADERS, carrier) });
    child.finish();
    assert.equal(finishedSpans()[0]!.parentSpanId, 'b7ad6b7169203331');
    const outgoing: Record<string, string> = {};
    tracer.inject(child, FORMAT_HTTP_HEADERS, outgoing);
    assert.equal(otelExtract(outgoing).spanContext?.traceId, '0af7651916cd43dd8448eb211c80319c');
  });
});

describe('we inject, OpenTelemetry extracts', () => {
  for (const sampled of [true, false]) {
    test(`${sampled ? 'sampled' : 'unsampled'} span with baggage`, () => {
      const { tracer } = createTestTracer({ propagators: ['tracecontext', 'baggage'], sampler: { type: 'const', param: sampled ? 1 : 0 } });
      const span = tracer.startSpan('client');
      for (const [key, value] of Object.entries(BAGGAGE)) span.setBaggageItem(key, value);
      const carrier: Record<string, string> = {};
      tracer.inject(span, FORMAT_HTTP_HEADERS, carrier);
      const { spanContext, baggage } = otelExtract(carrier);
      assert.equal(spanContext?.traceId, span.context().toTraceId());
      assert.equal(spanContext?.spanId, span.context().toSpanId());
      assert.equal(spanContext?.traceFlags, sampled ? TraceFlags.SAMPLED : TraceFlags.NONE);
      assert.equal(spanContext?.isRemote, true);
      assert.deepEqual(baggage, BAGGAGE);
    });
  }

  test('tracestate received is passed on unchanged', () => {
    const { tracer } = createTestTracer({ propagators: ['tracecontext'] });
    const incoming = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' };
    const child = tracer.startSpan('server', { childOf: tracer.extract(FORMAT_HTTP_HEADERS, incoming) });
    const outgoing: Record<string, string> = {};
    tracer.inject(child, FORMAT_HTTP_HEADERS, outgoing);
    const { spanContext } = otelExtract(outgoing);
    assert.equal(spanContext?.traceState?.serialize(), 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    assert.equal(spanContext?.traceState?.get('congo'), 't61rcWkgMzE');
  });

  test('both agree on which traceparent values are invalid', () => {
    const { tracer } = createTestTracer({ propagators: ['tracecontext'] });
    const samples = [
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0',
    ];
    for (const traceparent of samples) {
      const ours = tracer.extract(FORMAT_HTTP_HEADERS, { traceparent });
      const theirs = otelExtract({ traceparent }).spanContext;
      assert.equal(ours?.toSpanId() ?? null, theirs?.spanId ?? null, traceparent);
    }
  });
});
