import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import { createTestTracer } from '../../../src/testing/index.js';
import { SpanContext as OurContext } from '../../../src/tracer/span-context.js';
import type { SpanContext } from '../../../src/tracer/span-context.js';

type Carrier = Record<string, unknown>;

describe('exact header values', () => {
  const { tracer } = createTestTracer({ propagators: ['jaeger', 'tracecontext', 'baggage', 'b3', 'b3multi'] });
  const extract = (carrier: Carrier): SpanContext => {
    const context = tracer.extract(FORMAT_HTTP_HEADERS, carrier);
    assert.ok(context !== null);
    return context;
  };
  const inject = (context: SpanContext, format = FORMAT_HTTP_HEADERS): Carrier => {
    const carrier: Carrier = {};
    tracer.inject(context, format, carrier);
    return carrier;
  };

  test('a 128-bit context is written in every format, byte for byte', () => {
    const context = extract({
      'uber-trace-id': '4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:a3ce929d0e0e4736:1',
      'uberctx-tenant': 'acme%20corp',
      tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    assert.equal(context.toTraceId(), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(context.toSpanId(), '00f067aa0ba902b7');
    assert.equal(context.parentSpanId(), 'a3ce929d0e0e4736');
    assert.equal(context.traceState, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE', 'tracestate follows a matching traceparent');
    assert.deepEqual(inject(context), {
      'uber-trace-id': '4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:a3ce929d0e0e4736:1',
      'uberctx-tenant': 'acme%20corp',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
      baggage: 'tenant=acme%20corp',
      b3: '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1-a3ce929d0e0e4736',
      'x-b3-traceid': '4bf92f3577b34da6a3ce929d0e0e4736',
      'x-b3-spanid': '00f067aa0ba902b7',
      'x-b3-parentspanid': 'a3ce929d0e0e4736',
      'x-b3-sampled': '1',
    });
    const textMap = inject(context, FORMAT_TEXT_MAP);
    assert.equal(textMap['uberctx-tenant'], 'acme corp', 'uberctx-* values are plain in a text map, as jaeger-client writes them');
    assert.equal(textMap.baggage, 'tenant=acme%20corp', 'the W3C header is always percent-encoded');
    assert.equal(tracer.extract(FORMAT_TEXT_MAP, { ...textMap, baggage: undefined })?.baggage?.tenant, 'acme corp');
  });

  test('a 64-bit trace id is read with leading zeros dropped and written as 16 digits', () => {
    const context = extract({ 'uber-trace-id': 'f067aa0ba902b7:a3ce929d0e0e4736:0:0' });
    assert.equal(context.toTraceId(), '000000000000000000f067aa0ba902b7');
    assert.equal(context.isSampled(), false);
    const carrier = inject(context);
    assert.equal(carrier['uber-trace-id'], '00f067aa0ba902b7:a3ce929d0e0e4736:0:0');
    assert.equal(carrier.traceparent, '00-000000000000000000f067aa0ba902b7-a3ce929d0e0e4736-00');
    assert.equal(carrier.b3, '00f067aa0ba902b7-a3ce929d0e0e4736-0');
    assert.equal(carrier['x-b3-traceid'], '00f067aa0ba902b7');
  });

  test('URL-encoded uber-trace-id, uppercase names and Jaeger uppercase hex are accepted', () => {
    const context = extract({ 'Uber-Trace-Id': '4BF92F3577B34DA6A3CE929D0E0E4736%3A00F067AA0BA902B7%3A0%3A1' });
    assert.equal(context.toTraceId(), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(context.toSpanId(), '00f067aa0ba902b7');
    assert.equal(context.isSampled(), true);
  });

  test('traceparent of a future version: the known prefix counts, flags bit 0 is sampled', () => {
    const context = extract({ TRACEPARENT: '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-what-comes-next' });
    assert.equal(context.toSpanId(), '00f067aa0ba902b7');
    assert.equal(context.isSampled(), true);
    assert.equal(context.isDebug(), false);
  });

  test('traceparent with surrounding spaces or tabs (HTTP OWS) is accepted', () => {
    assert.equal(extract({ traceparent: ' 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\t' }).toSpanId(), '00f067aa0ba902b7');
  });

  test('B3 multi: 64-bit ids, true/false sampled, no sampled header means not sampled', () => {
    const b3 = createTestTracer({ propagators: ['b3multi'] }).tracer;
    const base = { 'X-B3-TraceId': 'a3ce929d0e0e4736', 'X-B3-SpanId': '00f067aa0ba902b7' };
    assert.equal(b3.extract(FORMAT_HTTP_HEADERS, { ...base, 'X-B3-Sampled': 'true' })?.isSampled(), true);
    assert.equal(b3.extract(FORMAT_HTTP_HEADERS, { ...base, 'X-B3-Sampled': '0' })?.isSampled(), false);
    const deferred = b3.extract(FORMAT_HTTP_HEADERS, base);
    assert.equal(deferred?.isSampled(), false);
    assert.equal(deferred?.toTraceId(), '0000000000000000a3ce929d0e0e4736');
  });
});

describe('carriers', () => {
  test('header names are case-insensitive and a one-element array counts as the value', () => {
    const { tracer } = createTestTracer();
    const context = tracer.extract(FORMAT_HTTP_HEADERS, {
      TraceParent: ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
      BAGGAGE: ['a=1', 'b=2'],
    });
    assert.equal(context?.toSpanId(), '00f067aa0ba902b7');
    assert.deepEqual(context?.baggage, { a: '1', b: '2' }, 'list headers sent twice are joined');
  });

  test('two different traceparent headers are ignored (W3C: duplicates are invalid)', () => {
    const { tracer } = createTestTracer({ propagators: ['tracecontext'] });
    const context = tracer.extract(FORMAT_HTTP_HEADERS, {
      traceparent: ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-11111111111111111111111111111111-2222222222222222-01'],
    });
    assert.equal(context, null);
  });

  test('inject replaces headers present under another case and writes lowercase names', () => {
    const { tracer } = createTestTracer({ propagators: ['jaeger', 'tracecontext', 'baggage', 'b3multi'] });
    const span = tracer.startSpan('client');
    span.setBaggageItem('userId', 'u1');
    const carrier: Carrier = {
      Traceparent: 'stale', 'UBER-TRACE-ID': 'stale', Baggage: 'stale=1', 'uberctx-userid': 'stale',
      'X-B3-Flags': '1', 'Content-Type': 'text/plain',
    };
    tracer.inject(span, FORMAT_HTTP_HEADERS, carrier);
    const names = Object.keys(carrier);
    const mixedCase = names.filter((name) => name !== name.toLowerCase());
    assert.deepEqual(mixedCase, ['Content-Type', 'uberctx-userId'], 'only the user header and the baggage key keep their case');
    assert.equal(names.filter((name) => name.toLowerCase() === 'traceparent').length, 1);
    assert.equal(carrier['uberctx-userId'], 'u1');
    assert.equal(carrier['uberctx-userid'], undefined, 'same lowercase name: replaced, not duplicated');
    assert.equal(carrier.baggage, 'userId=u1');
    assert.equal(carrier['x-b3-flags'], undefined, 'a stale B3 field of ours is removed');
    assert.equal(carrier['x-b3-sampled'], '1');
  });

  test('a user baggage header is kept when the span has no baggage to write', () => {
    const { tracer } = createTestTracer();
    const carrier: Carrier = { baggage: 'theirs=1' };
    tracer.inject(tracer.startSpan('client'), FORMAT_HTTP_HEADERS, carrier);
    assert.equal(carrier.baggage, 'theirs=1');
  });

  test('FORMAT_BINARY and unknown formats: inject writes nothing, extract returns null, nothing throws', () => {
    const { tracer } = createTestTracer();
    const span = tracer.startSpan('x');
    for (const format of ['binary', 'no-such-format']) {
      const carrier: Carrier = {};
      tracer.inject(span, format, carrier);
      assert.deepEqual(carrier, {});
      assert.equal(tracer.extract(format, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }), null);
      assert.equal(tracer.extract(format, { buffer: new Uint8Array(8) }), null);
    }
    assert.equal(tracer.stats().instrumentationFaults, 0);
  });
});

describe('trace headers of random contexts', () => {
  // The injectors write ids as bytes; the context formats them by string concatenation. Both must
  // agree for every shape: 64- and 128-bit traces, roots and children, each flag combination,
  // words with the sign bit set and words that are zero.
  test('uber-trace-id, traceparent and both B3 forms match the context\'s own hex, for 3000 contexts', () => {
    const { tracer } = createTestTracer({ propagators: ['jaeger', 'tracecontext', 'b3', 'b3multi'] });
    const word = (): number => {
      const pick = Math.random();
      if (pick < 0.15) return 0;
      if (pick < 0.3) return -1;
      return (Math.random() * 2 ** 32) | 0;
    };
    for (let i = 0; i < 3000; i++) {
      const high = i % 3 === 0 ? [0, 0] : [word(), word()];
      const traceWords = [...high, word(), word() | 1];
      const parent = i % 2 === 0 ? [0, 0] : [word(), word() | 2];
      const flags = i % 4;
      const context = new OurContext(traceWords, word(), word() | 4, parent[0]!, parent[1]!, flags, null);
      const carrier: Record<string, string> = {};
      tracer.inject(context, FORMAT_HTTP_HEADERS, carrier);
      const fullTrace = context.toTraceId();
      const trace = traceWords[0] === 0 && traceWords[1] === 0 ? fullTrace.slice(16) : fullTrace;
      assert.equal(carrier['uber-trace-id'], `${trace}:${context.toSpanId()}:${context.parentSpanId() ?? '0'}:${flags.toString(16)}`);
      assert.equal(carrier.traceparent, `00-${fullTrace}-${context.toSpanId()}-${flags & 1 ? '01' : '00'}`);
      const b3Sampled = flags & 2 ? 'd' : flags & 1 ? '1' : '0';
      const parentHex = context.parentSpanId();
      assert.equal(carrier.b3, `${trace}-${context.toSpanId()}-${b3Sampled}${parentHex === null ? '' : `-${parentHex}`}`);
      assert.equal(carrier['x-b3-traceid'], trace);
      assert.equal(carrier['x-b3-spanid'], context.toSpanId());
      assert.equal(carrier['x-b3-parentspanid'], parentHex ?? undefined);
      assert.equal(carrier[flags & 2 ? 'x-b3-flags' : 'x-b3-sampled'], flags & 2 ? '1' : b3Sampled);
    }
  });
});

describe('precedence and merging', () => {
  const jaegerHeader = '11111111111111111111111111111111:2222222222222222:0:1';
  const w3cHeader = '00-33333333333333333333333333333333-4444444444444444-01';

  test('the first configured format with a valid context wins', () => {
    const carrier = { 'uber-trace-id': jaegerHeader, traceparent: w3cHeader };
    const jaegerFirst = createTestTracer({ propagators: ['jaeger', 'tracecontext'] }).tracer;
    const w3cFirst = createTestTracer({ propagators: ['tracecontext', 'jaeger'] }).tracer;
    assert.equal(jaegerFirst.extract(FORMAT_HTTP_HEADERS, carrier)?.toSpanId(), '2222222222222222');
    assert.equal(w3cFirst.extract(FORMAT_HTTP_HEADERS, carrier)?.toSpanId(), '4444444444444444');
    const fallback = { 'uber-trace-id': 'garbage', traceparent: w3cHeader };
    assert.equal(jaegerFirst.extract(FORMAT_HTTP_HEADERS, fallback)?.toSpanId(), '4444444444444444', 'an invalid first format falls through');
  });

  test('formats that are not configured are not read', () => {
    const { tracer } = createTestTracer({ propagators: ['tracecontext'] });
    assert.equal(tracer.extract(FORMAT_HTTP_HEADERS, { 'uber-trace-id': jaegerHeader, 'uberctx-k': 'v', baggage: 'k=v' }), null);
  });

  test('tracestate is kept only with a traceparent of the same trace', () => {
    const { tracer } = createTestTracer();
    const same = tracer.extract(FORMAT_HTTP_HEADERS, {
      'uber-trace-id': '33333333333333333333333333333333:5555555555555555:0:1', traceparent: w3cHeader, tracestate: 'a=b',
    });
    assert.equal(same?.traceState, 'a=b');
    const other = tracer.extract(FORMAT_HTTP_HEADERS, { 'uber-trace-id': jaegerHeader, traceparent: w3cHeader, tracestate: 'a=b' });
    assert.equal(other?.traceState, null);
  });

  test('baggage merges uberctx-* and baggage; W3C wins for the same key in any case', () => {
    const { tracer } = createTestTracer();
    const context = tracer.extract(FORMAT_HTTP_HEADERS, {
      traceparent: w3cHeader, baggage: 'userId=w3c,shared=w3c', 'uberctx-userid': 'jaeger', 'uberctx-only': 'jaeger', 'uberctx-shared': 'jaeger',
    });
    assert.deepEqual(context?.baggage, { userId: 'w3c', shared: 'w3c', only: 'jaeger' });
  });

  test('baggage without any trace ids becomes the baggage of a new root', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const context = tracer.extract(FORMAT_HTTP_HEADERS, { baggage: 'tenant=acme' });
    assert.equal(context?.isValid, false);
    tracer.startSpan('server', { childOf: context }).finish();
    assert.equal(finishedSpans()[0]!.parentSpanId, null);
    assert.deepEqual(finishedSpans()[0]!.baggage, { tenant: 'acme' });
  });
});

describe('baggage on the way out', () => {
  test('within the W3C limits: at most 180 items and 8192 bytes per style', () => {
    const { tracer } = createTestTracer();
    const span = tracer.startSpan('client');
    for (let i = 0; i < 300; i++) span.setBaggageItem(`key${i}`, 'v'.repeat(i % 7 === 0 ? 100 : 3));
    const carrier: Carrier = {};
    tracer.inject(span, FORMAT_HTTP_HEADERS, carrier);
    const header = String(carrier.baggage);
    assert.ok(header.length <= 8192);
    assert.ok(header.split(',').length <= 180);
    const uberctx = Object.keys(carrier).filter((name) => name.startsWith('uberctx-'));
    assert.ok(uberctx.length > 0 && uberctx.length <= 180);
  });

  test('keys that are no HTTP token: no uberctx header, percent-encoded in baggage, read back intact', () => {
    const { tracer } = createTestTracer();
    const span = tracer.startSpan('client');
    span.setBaggageItem('user name (display)', 'Zoë; "x"');
    span.setBaggageItem('bad\r\nx-evil: 1', 'v');
    const carrier: Carrier = {};
    tracer.inject(span, FORMAT_HTTP_HEADERS, carrier);
    assert.deepEqual(Object.keys(carrier).filter((name) => name.startsWith('uberctx-')), []);
    assert.match(String(carrier.baggage), /^[\x21-\x7e]+$/, 'only visible ASCII on the wire');
    assert.deepEqual(tracer.extract(FORMAT_HTTP_HEADERS, carrier)?.baggage, {
      'user name (display)': 'Zoë; "x"', 'bad\r\nx-evil: 1': 'v',
    });
  });

  test('a value that cannot be encoded (lone surrogate) is skipped, the rest is written', () => {
    const { tracer } = createTestTracer();
    const span = tracer.startSpan('client');
    span.setBaggageItem('broken', '\ud800');
    span.setBaggageItem('fine', 'yes');
    const carrier: Carrier = {};
    tracer.inject(span, FORMAT_HTTP_HEADERS, carrier);
    assert.equal(carrier.baggage, 'fine=yes');
    assert.equal(carrier['uberctx-fine'], 'yes');
    assert.equal(typeof carrier.traceparent, 'string');
    assert.equal(tracer.stats().instrumentationFaults, 0);
  });
});
