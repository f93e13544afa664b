import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTracer } from '../../../src/testing/index.js';
import {
  callerNameFrom, finishAbortedServerSpan, finishServerSpan, recordServerError, serverSpanOf,
  setServerSpan, startServerSpan, statusOfError,
} from '../../../src/semantics/server-span.js';
import type { ServerRequestFields } from '../../../src/semantics/server-span.js';
import { tagPeerIp } from '../../../src/semantics/peer.js';
import { setServerRoute } from '../../../src/semantics/route-names.js';
import { isIgnoredPath } from '../../../src/semantics/url-matchers.js';

const { tracer, finishedSpans, reset } = createTestTracer();

const fields = (overrides: Partial<ServerRequestFields> = {}): ServerRequestFields => ({
  method: 'GET', url: '/a?b=1', headers: {}, remoteIp: '10.0.0.1', remotePort: 4242, callerName: undefined,
  component: 'node-http', ...overrides,
});

describe('isIgnoredPath', () => {
  test('a string matches the path exactly (query ignored), a RegExp the path with query', () => {
    const matchers = ['/health', /[?&]probe=1/];
    assert.equal(isIgnoredPath(matchers, '/health'), true);
    assert.equal(isIgnoredPath(matchers, '/health?x=1'), true);
    assert.equal(isIgnoredPath(matchers, '/health/deep'), false);
    assert.equal(isIgnoredPath(matchers, '/users?probe=1'), true);
    assert.equal(isIgnoredPath(matchers, '/users'), false);
    assert.equal(isIgnoredPath([], '/health'), false);
  });
});

describe('callerNameFrom', () => {
  test('the first configured header present and non-empty', () => {
    const headers = { 'x-a': '', 'x-b': ['svc-b', 'other'], 'x-c': 'svc-c' };
    assert.equal(callerNameFrom(headers, ['x-a', 'x-b', 'x-c']), 'svc-b');
    assert.equal(callerNameFrom(headers, ['x-z']), undefined);
  });
});

describe('tagPeerIp', () => {
  const tagsFor = (address: string | undefined, fromSocket = false): Record<string, unknown> => {
    reset();
    const span = tracer.startSpan('x');
    tagPeerIp(span, address, fromSocket ? 'socket' : 'address');
    span.finish();
    return finishedSpans()[0]!.tags;
  };
  test('IPv4, IPv6 and IPv4-mapped IPv6; host names and junk are not IPs', () => {
    assert.equal(tagsFor('192.0.2.1')['peer.ipv4'], '192.0.2.1');
    assert.equal(tagsFor('2001:db8::1')['peer.ipv6'], '2001:db8::1');
    assert.equal(tagsFor('::ffff:192.0.2.7')['peer.ipv4'], '192.0.2.7');
    assert.equal(tagsFor('::ffff:192.0.2.7', true)['peer.ipv4'], '192.0.2.7');
    assert.equal(tagsFor('::1', true)['peer.ipv6'], '::1');
    for (const notIp of ['example.com', '999.1.1.1', 'fe80::zz', '', undefined]) {
      const tags = tagsFor(notIp);
      assert.equal(tags['peer.ipv4'], undefined, String(notIp));
      assert.equal(tags['peer.ipv6'], undefined, String(notIp));
    }
  });
});

describe('startServerSpan / finishServerSpan', () => {
  test('a root server span with the OpenTracing tags, ignoring the active span', () => {
    reset();
    tracer.startActiveSpan('unrelated', () => {
      const span = startServerSpan(tracer, fields({ url: '/login?password=hunter2', callerName: 'web' }));
      finishServerSpan(span, 201);
    });
    const server = finishedSpans().find((s) => s.tags['span.kind'] === 'server')!;
    assert.equal(server.parentSpanId, null);
    assert.equal(server.operationName, 'GET');
    assert.equal(server.tags['http.url'], '/login?password=REDACTED');
    assert.equal(server.tags['peer.ipv4'], '10.0.0.1');
    assert.equal(server.tags['peer.port'], 4242);
    assert.equal(server.tags['peer.service'], 'web');
    assert.equal(server.tags['http.status_code'], 201);
  });

  test('an absolute-form request target loses its userinfo', () => {
    reset();
    finishServerSpan(startServerSpan(tracer, fields({ url: 'http://user:pw@proxy.example/x?sig=abc' })), 200);
    assert.equal(finishedSpans()[0]!.tags['http.url'], 'http://proxy.example/x?sig=REDACTED');
  });

  test('a parent from the headers; an extract that throws gives a root', () => {
    reset();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    finishServerSpan(startServerSpan(tracer, fields({ headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } })), 200);
    const broken = { get traceparent(): string {
      throw new Error('hostile carrier');
    } };
    finishServerSpan(startServerSpan(tracer, fields({ headers: broken })), 200);
    const [child, root] = finishedSpans();
    assert.equal(child!.traceId, traceId);
    assert.equal(child!.parentSpanId, 'b7ad6b7169203331');
    assert.equal(root!.parentSpanId, null);
  });

  test('finishing twice, or after an abort, changes nothing', () => {
    reset();
    const span = startServerSpan(tracer, fields());
    finishAbortedServerSpan(span, undefined);
    finishServerSpan(span, 500);
    finishAbortedServerSpan(span, 200);
    const spans = finishedSpans();
    assert.equal(spans.length, 1);
    assert.equal(spans[0]!.tags['http.aborted'], true);
    assert.equal(spans[0]!.tags['http.status_code'], undefined);
    assert.equal(spans[0]!.tags.error, undefined);
  });

  test('status >= 500 is an error; 4xx is not', () => {
    reset();
    finishServerSpan(startServerSpan(tracer, fields()), 500);
    finishServerSpan(startServerSpan(tracer, fields()), 499);
    const [failed, client] = finishedSpans();
    assert.equal(failed!.tags.error, true);
    assert.equal(client!.tags.error, undefined);
  });

  test('an unsampled span is not recorded and costs no tags', () => {
    const quiet = createTestTracer({ sampler: { type: 'const', param: 0 } });
    const span = startServerSpan(quiet.tracer, fields());
    finishServerSpan(span, 200);
    assert.equal(span.tags.length, 0);
    assert.equal(quiet.finishedSpans().length, 0);
  });
});

describe('setServerRoute / recordServerError', () => {
  test('the route renames the span and tags it', () => {
    reset();
    const span = startServerSpan(tracer, fields());
    setServerRoute(span, 'GET', '/users/:id', 'express');
    setServerRoute(span, 'GET', '', 'ignored');
    finishServerSpan(span, 200);
    const record = finishedSpans()[0]!;
    assert.equal(record.operationName, 'GET /users/:id');
    assert.equal(record.tags['http.route'], '/users/:id');
    assert.equal(record.tags.component, 'express');
  });

  test('route names, kept per route and method, stay right for other methods and past the bound', () => {
    reset();
    const name = (method: string, route: string): string => {
      const span = startServerSpan(tracer, fields({ method }));
      setServerRoute(span, method, route);
      span.finish();
      return finishedSpans().at(-1)!.operationName;
    };
    const first = name('GET', '/orders/:id');
    assert.equal(first, 'GET /orders/:id');
    assert.equal(name('POST', '/orders/:id'), 'POST /orders/:id');
    assert.equal(name('GET', '/orders/:id'), first);
    // Far more routes and methods than are kept: every name is still the right one.
    for (let i = 0; i < 2100; i++) assert.equal(name(i % 2 === 0 ? 'GET' : 'DELETE', `/r${i}/:id`), `${i % 2 === 0 ? 'GET' : 'DELETE'} /r${i}/:id`);
    for (let m = 0; m < 20; m++) assert.equal(name(`M${m}`, '/orders/:id'), `M${m} /orders/:id`);
  });

  test('an error is recorded once however often reported; 4xx errors are responses', () => {
    reset();
    const span = startServerSpan(tracer, fields());
    const error = new Error('boom');
    recordServerError(span, error);
    recordServerError(span, error);
    recordServerError(span, Object.assign(new Error('not found'), { status: 404 }));
    recordServerError(span, Object.assign(new Error('upstream'), { statusCode: 502 }));
    finishServerSpan(span, 500);
    const logs = finishedSpans()[0]!.logs.map((l) => [l.fields.event, l.fields.message]);
    assert.deepEqual(logs, [['error', 'boom'], ['client error', 'not found'], ['error', 'upstream']]);
    assert.equal(finishedSpans()[0]!.tags.error, true);
  });

  test('statusOfError reads status or statusCode, only real HTTP codes', () => {
    assert.equal(statusOfError({ status: 404 }), 404);
    assert.equal(statusOfError({ statusCode: 503 }), 503);
    assert.equal(statusOfError({ status: 42 }), undefined);
    assert.equal(statusOfError('text'), undefined);
    assert.equal(statusOfError(null), undefined);
  });
});

describe('the request marker', () => {
  test('undefined (never seen), null (ignored), or the span', () => {
    const req = {};
    assert.equal(serverSpanOf(req), undefined);
    setServerSpan(req, null);
    assert.equal(serverSpanOf(req), null);
    const span = tracer.startSpan('x');
    setServerSpan(req, span);
    assert.equal(serverSpanOf(req), span);
    // The key is shared by the ESM and CommonJS builds.
    assert.equal((req as Record<symbol, unknown>)[Symbol.for('opentracing-async-instrumentation.serverSpan')], span);
  });
});
