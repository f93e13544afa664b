import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTracer } from '../../../src/testing/index.js';
import { finishClientSpan, hideChildUrlPaths, isErrorStatus, startClientSpan, traceHeaders } from '../../../src/semantics/client-span.js';
import { unbracket } from '../../../src/semantics/peer.js';
import { isIgnoredUrl } from '../../../src/semantics/url-matchers.js';

describe('client spans', () => {
  test('peer.ipv4 / peer.ipv6 only for real IP addresses', () => {
    const { tracer, finishedSpans } = createTestTracer();
    for (const hostname of ['10.1.2.3', '::1', 'example.com', '1.2.3', 'localhost', '1.2.3.4.5', '0123', '::ffff:10.0.0.1', 'fe80::1%eth0']) {
      startClientSpan(tracer, 'test', { method: 'GET', url: `http://${hostname}/`, hostname, port: 80 }).finish();
    }
    assert.deepEqual(finishedSpans().map((s) => [s.tags['peer.ipv4'], s.tags['peer.ipv6']]), [
      ['10.1.2.3', undefined],
      [undefined, '::1'],
      [undefined, undefined],
      [undefined, undefined],
      [undefined, undefined],
      [undefined, undefined],
      [undefined, undefined],
      [undefined, '::ffff:10.0.0.1'],
      [undefined, 'fe80::1%eth0'],
    ]);
  });

  test('an explicit parent, an explicit root, or the active span', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const target = { method: 'GET', url: 'http://h/', hostname: 'h', port: 80 };
    const other = tracer.startSpan('other');
    tracer.startActiveSpan('active', (active) => {
      startClientSpan(tracer, 'test', target).finish();
      startClientSpan(tracer, 'test', target, other).finish();
      startClientSpan(tracer, 'test', target, null).finish();
      const [fromActive, fromOther, root] = finishedSpans();
      assert.equal(fromActive!.parentSpanId, active.context().toSpanId());
      assert.equal(fromOther!.parentSpanId, other.context().toSpanId());
      assert.equal(root!.parentSpanId, null);
    });
  });

  test('finish: status, 5xx errors, 4xx only when asked, failures logged', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const target = { method: 'GET', url: 'http://h/', hostname: 'h', port: 80 };
    finishClientSpan(startClientSpan(tracer, 't', target), 500, undefined, false);
    finishClientSpan(startClientSpan(tracer, 't', target), 404, undefined, false);
    finishClientSpan(startClientSpan(tracer, 't', target), 404, undefined, true);
    finishClientSpan(startClientSpan(tracer, 't', target), undefined, new Error('boom'), false);
    const spans = finishedSpans();
    assert.deepEqual(spans.map((s) => [s.tags['http.status_code'], s.tags.error]), [
      [500, true], [404, undefined], [404, true], [undefined, true],
    ]);
    assert.equal(spans[3]!.logs[0]!.fields.message, 'boom');
  });

  test('trace headers in the configured formats', () => {
    const { tracer } = createTestTracer({ propagators: ['tracecontext', 'jaeger'] });
    const span = startClientSpan(tracer, 't', { method: 'GET', url: 'http://h/', hostname: 'h', port: 80 });
    const headers = traceHeaders(tracer, span);
    assert.deepEqual(headers, [
      'traceparent', `00-${span.context().toTraceId()}-${span.context().toSpanId()}-01`,
      'uber-trace-id', `${span.context().toTraceId()}:${span.context().toSpanId()}:0:1`,
    ]);
  });

  test('trace headers are exactly what inject writes into an empty carrier, baggage and tracestate included', () => {
    const { tracer } = createTestTracer({ propagators: ['jaeger', 'tracecontext', 'baggage', 'b3', 'b3multi'] });
    const parent = tracer.extract('http_headers', {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'rojo=1', baggage: 'Tenant=acme,user=7',
    })!;
    const span = startClientSpan(tracer, 't', { method: 'GET', url: 'http://h/', hostname: 'h', port: 80 }, tracer.startSpan('p', { childOf: parent }));
    const carrier: Record<string, string> = {};
    tracer.inject(span, 'http_headers', carrier);
    const headers = traceHeaders(tracer, span);
    const pairs: [string, string][] = [];
    for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i]!, headers[i + 1]!]);
    assert.deepEqual(Object.fromEntries(pairs), carrier);
    assert.equal(pairs.length, Object.keys(carrier).length, 'no header written twice');
    assert.ok(Object.keys(carrier).includes('uberctx-Tenant') && carrier.tracestate === 'rojo=1');
  });

  test('ignoreUrls: string prefix or exact path, RegExp on the full URL (also /g ones, repeatedly)', () => {
    const matchers = ['http://a/health', '/ready', /metrics$/g];
    assert.equal(isIgnoredUrl(matchers, 'http://a/health/live', '/health/live'), true);
    assert.equal(isIgnoredUrl(matchers, 'http://b/ready?x=1', '/ready?x=1'), true);
    assert.equal(isIgnoredUrl(matchers, 'http://b/readyz', '/readyz'), false);
    assert.equal(isIgnoredUrl(matchers, 'http://b/x/metrics', '/x/metrics'), true);
    assert.equal(isIgnoredUrl(matchers, 'http://b/x/metrics', '/x/metrics'), true);
    assert.equal(isIgnoredUrl(matchers, 'http://b/orders', '/orders'), false);
  });

  test('isErrorStatus: 5xx always, 4xx only when asked', () => {
    assert.deepEqual([499, 500, 404].map((code) => isErrorStatus(code, false)), [false, true, false]);
    assert.equal(isErrorStatus(404, true), true);
    assert.equal(isErrorStatus(399, true), false);
  });

  test('unbracket', () => {
    assert.equal(unbracket('[::1]'), '::1');
    assert.equal(unbracket('example.com'), 'example.com');
  });
});

describe('hideChildUrlPaths', () => {
  test('client spans under a marked span keep only scheme and authority of their URL; others keep the path', () => {
    const { tracer } = createTestTracer();
    const target = { method: 'GET', url: 'http://user:pw@127.0.0.1:9000/bucket/user-42/invoice.pdf?x-id=GetObject', hostname: '127.0.0.1', port: 9000 };
    const marked = tracer.startSpan('S3.GetObject');
    hideChildUrlPaths(marked);
    const explicit = startClientSpan(tracer, 'node-http', target, marked);
    const active = tracer.withSpan(marked, () => startClientSpan(tracer, 'node-http', target));
    for (const span of [explicit, active]) assert.equal(span.tags[span.tags.indexOf('http.url') + 1], 'http://127.0.0.1:9000/REDACTED');
    const other = tracer.startSpan('other');
    const plain = startClientSpan(tracer, 'node-http', target, other);
    assert.match(String(plain.tags[plain.tags.indexOf('http.url') + 1]), /\/bucket\/user-42\/invoice\.pdf/);
  });
});
