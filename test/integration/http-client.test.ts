import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http, { get as namedGet, request as namedRequest } from 'node:http';
import https from 'node:https';
import { createTestTracer } from '../../src/testing/index.js';
import type { SpanRecord } from '../../src/testing/index.js';
import { installAllPatches, uninstallAllPatches } from '../../src/plugins/install.js';
import { selfSignedCertificate } from '../support/https-cert.js';
import { headerValues, startHttpServer, startHttpsServer, waitForSpans } from './http-client-servers.js';
import type { SeenRequest, TestServer } from './http-client-servers.js';

const { tracer, finishedSpans, reset } = createTestTracer();
let server: TestServer;
let secure: TestServer;

function body(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

function responseOf(req: http.ClientRequest): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
}

/** The client spans of one request each, in finishing order. */
async function clientSpans(count: number): Promise<SpanRecord[]> {
  const spans = await waitForSpans(() => finishedSpans().filter((s) => s.tags['span.kind'] === 'client'), count);
  assert.equal(spans.length, count);
  return spans;
}

function assertPropagated(request: SeenRequest, span: SpanRecord): void {
  assert.deepEqual(headerValues(request, 'traceparent'), [`00-${span.traceId}-${span.spanId}-01`]);
  assert.equal(headerValues(request, 'uber-trace-id').length, 1);
  assert.match(headerValues(request, 'uber-trace-id')[0]!, new RegExp(`^${span.traceId}:${span.spanId}:`));
}

before(async () => {
  server = await startHttpServer();
  secure = await startHttpsServer();
  assert.deepEqual(installAllPatches({ tracer, include: ['http-client'] }), ['http-client']);
});

after(async () => {
  uninstallAllPatches();
  await server.close();
  await secure.close();
});

describe('node:http client spans', () => {
  test('http.get(url string, callback): a child of the active span with the client tags', async () => {
    reset();
    let parentId = '';
    await tracer.startActiveSpan('parent', async (parent) => {
      parentId = parent.context().toSpanId();
      const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`${server.origin}/ok?q=1`, resolve));
      assert.equal(await body(res), 'ok');
    });
    const [span] = await clientSpans(1);
    assert.equal(span!.parentSpanId, parentId);
    assert.equal(span!.operationName, 'GET');
    assert.deepEqual(span!.tags, {
      'span.kind': 'client',
      component: 'node-http',
      'http.method': 'GET',
      'http.url': `${server.origin}/ok?q=1`,
      'peer.hostname': '127.0.0.1',
      'peer.port': server.port,
      'peer.ipv4': '127.0.0.1',
      'http.status_code': 200,
    });
    assertPropagated(server.seen.at(-1)!, span!);
  });

  test('every call form is traced once and propagates', async () => {
    reset();
    server.seen.length = 0;
    const url = `${server.origin}/ok`;
    const forms: (() => http.ClientRequest)[] = [
      () => http.get(url),
      () => http.get(new URL(url)),
      () => http.get({ host: '127.0.0.1', port: server.port, path: '/ok' }),
      () => http.get(url, { headers: { 'x-form': 'url+options' } }),
      () => http.get(new URL(url), { headers: { 'x-form': 'URL+options' } }, () => {}),
      () => http.request(url).end() as http.ClientRequest,
      () => http.request({ hostname: '127.0.0.1', port: server.port, path: '/echo', method: 'POST' }).end('payload') as http.ClientRequest,
      () => namedGet(url),
      () => namedRequest(new URL(url)).end() as http.ClientRequest,
    ];
    await tracer.startActiveSpan('parent', async () => {
      for (const form of forms) {
        const res = await responseOf(form());
        await body(res);
      }
    });
    const spans = await clientSpans(forms.length);
    assert.equal(server.seen.length, forms.length);
    for (let i = 0; i < forms.length; i++) assertPropagated(server.seen[i]!, spans[i]!);
    assert.equal(spans[6]!.operationName, 'POST');
    assert.equal(spans[6]!.tags['http.url'], `${server.origin}/echo`);
  });

  test('the request callback, response events and request events run in the caller\'s context', async () => {
    reset();
    const seenIn: string[] = [];
    await tracer.startActiveSpan('caller', async (caller) => {
      await new Promise<void>((resolve) => {
        const req = http.get(`${server.origin}/ok`, (res) => {
          seenIn.push(tracer.activeSpan() === caller ? 'callback:caller' : 'callback:other');
          res.on('data', () => {});
          res.on('end', () => {
            seenIn.push(tracer.activeSpan() === caller ? 'end:caller' : 'end:other');
          });
        });
        req.on('close', () => {
          seenIn.push(tracer.activeSpan() === caller ? 'close:caller' : 'close:other');
          resolve();
        });
      });
    });
    assert.deepEqual(seenIn, ['callback:caller', 'end:caller', 'close:caller']);
  });

  test('a trace header the caller set is replaced, never sent twice', async () => {
    reset();
    server.seen.length = 0;
    const headers = { TraceParent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01', 'Uber-Trace-Id': 'abc:def:0:1' };
    await tracer.startActiveSpan('parent', async () => {
      await body(await responseOf(http.get(`${server.origin}/ok`, { headers })));
      const req = http.request(`${server.origin}/ok`);
      req.setHeader('traceparent', headers.TraceParent);
      await body(await responseOf(req.end() as http.ClientRequest));
    });
    const spans = await clientSpans(2);
    assertPropagated(server.seen[0]!, spans[0]!);
    // A header set by the caller after the request was created wins; it is still sent once.
    assert.deepEqual(headerValues(server.seen[1]!, 'traceparent'), [headers.TraceParent]);
  });

  test('keep-alive: sequential requests on one socket each get their own parent', async () => {
    reset();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const parents: string[] = [];
    const sockets = new Set<unknown>();
    try {
      for (let i = 0; i < 4; i++) {
        await tracer.startActiveSpan(`parent-${i}`, async (parent) => {
          parents.push(parent.context().toSpanId());
          const res = await responseOf(http.get(`${server.origin}/ok`, { agent }));
          sockets.add(res.socket);
          assert.equal(tracer.activeSpan(), parent);
          await body(res);
        });
      }
    } finally {
      agent.destroy();
    }
    assert.equal(sockets.size, 1);
    const spans = await clientSpans(4);
    assert.deepEqual(spans.map((s) => s.parentSpanId), parents);
  });

  test('200 concurrent requests, each a child of its own parent', async () => {
    reset();
    server.seen.length = 0;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    const expected = new Map<string, string>();
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => tracer.startActiveSpan(`parent-${i}`, async (parent) => {
        await new Promise((resolve) => setImmediate(resolve));
        const res = await responseOf(http.get(`${server.origin}/ok?i=${i}`, { agent }));
        await body(res);
        assert.equal(tracer.activeSpan(), parent);
        expected.set(`/ok?i=${i}`, parent.context().toSpanId());
      })));
    } finally {
      agent.destroy();
    }
    const spans = await clientSpans(200);
    for (const span of spans) {
      const path = new URL(span.tags['http.url'] as string).search;
      assert.equal(span.parentSpanId, expected.get(`/ok${path}`));
    }
    const byUrl = new Map(spans.map((s) => [new URL(s.tags['http.url'] as string).pathname + new URL(s.tags['http.url'] as string).search, s]));
    for (const request of server.seen) assertPropagated(request, byUrl.get(request.url)!);
  });

  test('https with a self-signed certificate, through https.get and https.request', async () => {
    reset();
    secure.seen.length = 0;
    const { cert } = selfSignedCertificate();
    await tracer.startActiveSpan('parent', async () => {
      await body(await responseOf(https.get(`${secure.origin}/ok`, { ca: cert })));
      await body(await responseOf(https.request({ host: '127.0.0.1', port: secure.port, path: '/ok?token=s3cret', ca: cert }).end() as http.ClientRequest));
    });
    const spans = await clientSpans(2);
    assert.equal(spans[0]!.tags['http.url'], `${secure.origin}/ok`);
    assert.equal(spans[1]!.tags['http.url'], `${secure.origin}/ok?token=REDACTED`);
    assert.equal(spans[1]!.tags['peer.port'], secure.port);
    assertPropagated(secure.seen[0]!, spans[0]!);
    assertPropagated(secure.seen[1]!, spans[1]!);
  });

  test('userinfo and secrets never reach the span; host names are not IP tags', async () => {
    reset();
    const target = new URL(`${server.origin}/ok?password=hunter2&page=2`);
    target.username = 'alice';
    target.password = 'secret';
    target.hostname = 'localhost';
    await body(await responseOf(http.get(target)));
    const [span] = await clientSpans(1);
    assert.equal(span!.tags['http.url'], `http://localhost:${server.port}/ok?password=REDACTED&page=2`);
    assert.equal(span!.tags['peer.hostname'], 'localhost');
    assert.equal(span!.tags['peer.ipv4'], undefined);
    assert.equal(span!.tags['peer.ipv6'], undefined);
    assert.equal(span!.parentSpanId, null, 'no active span: a root client span');
  });

  test('IPv6 literal: peer.ipv6, bracketed URL', async () => {
    reset();
    const v6 = await startHttpServer('::1');
    try {
      await body(await responseOf(http.get(`${v6.origin}/ok`)));
      const [span] = await clientSpans(1);
      assert.equal(span!.tags['peer.ipv6'], '::1');
      assert.equal(span!.tags['peer.hostname'], '::1');
      assert.equal(span!.tags['http.url'], `http://[::1]:${v6.port}/ok`);
      assert.equal(span!.tags['peer.ipv4'], undefined);
    } finally {
      await v6.close();
    }
  });

  test('5xx marks the span as an error, 4xx does not by default', async () => {
    reset();
    await body(await responseOf(http.get(`${server.origin}/ok?status=503`)));
    await body(await responseOf(http.get(`${server.origin}/ok?status=404`)));
    const spans = await clientSpans(2);
    assert.equal(spans[0]!.tags['http.status_code'], 503);
    assert.equal(spans[0]!.tags.error, true);
    assert.equal(spans[1]!.tags['http.status_code'], 404);
    assert.equal(spans[1]!.tags.error, undefined);
  });
});
