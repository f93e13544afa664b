// The node:http2 adapter in examples/custom-server/, written only with the public API, against a
// real HTTP/2 server; and the example program itself, run as a child process. Both use the built
// package (dist/), as an app would: `npm test` builds first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createTestTracer } from 'opentracing-async-instrumentation/testing';
import { globalTracer } from 'opentracing-async-instrumentation';
import { traceStreams } from '../../examples/custom-server/http2-adapter.js';

const { tracer, finishedSpans, reset } = createTestTracer();
let server: http2.Http2Server;
let client: http2.ClientHttp2Session;

function request(headers: http2.OutgoingHttpHeaders): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = client.request(headers);
    let status = 0;
    let body = '';
    stream.on('response', (response) => {
      status = Number(response[':status']);
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('end', () => resolve({ status, body }));
    stream.on('error', reject);
    stream.end();
  });
}

async function spansUntil(count: number): Promise<ReturnType<typeof finishedSpans>> {
  for (let i = 0; i < 500; i++) {
    if (finishedSpans().length >= count) return finishedSpans();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`expected ${count} spans, got ${finishedSpans().length}`);
}

before(async () => {
  server = http2.createServer();
  server.on('stream', traceStreams(async (stream, headers) => {
    const path = String(headers[':path']);
    const baggage = tracer.activeSpan()?.getBaggageItem('tenant') ?? '';
    await tracer.startActiveSpan('work', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
    });
    const status = path.startsWith('/fail') ? 503 : 200;
    stream.respond({ ':status': status });
    stream.end(`${path} ${baggage} ${tracer.activeSpan()?.context().toSpanId()}`);
  }, { tracer, routeOf: (path) => (path.startsWith('/hello/') ? '/hello/:name' : undefined) }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  client = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
after(async () => {
  client.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('node:http2 through AbstractRequestWrapper, beforeRequest and afterResponse', () => {
  test('a server span continuing the caller\'s trace, with tags, baggage, and the handler inside it', async () => {
    reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const reply = await request({
      ':path': '/hello/ada?token=secret',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      'uberctx-tenant': 'acme',
      'x-caller': 'frontend',
    });
    const spans = await spansUntil(2);
    const server = spans.find((s) => s.tags['span.kind'] === 'server')!;
    const work = spans.find((s) => s.operationName === 'work')!;
    assert.equal(reply.status, 200);
    assert.equal(reply.body, `/hello/ada?token=secret acme ${server.spanId}`);
    assert.equal(server.operationName, 'GET /hello/:name');
    assert.equal(server.traceId, traceId);
    assert.equal(server.parentSpanId, '00f067aa0ba902b7');
    assert.equal(work.parentSpanId, server.spanId);
    assert.equal(server.tags.component, 'node-http2');
    assert.equal(server.tags['http.method'], 'GET');
    assert.equal(server.tags['http.url'], '/hello/ada?token=REDACTED');
    assert.equal(server.tags['http.status_code'], 200);
    assert.equal(server.tags['peer.ipv4'], '127.0.0.1');
    assert.equal(typeof server.tags['peer.port'], 'number');
    assert.equal(server.tags['peer.service'], 'frontend');
    assert.equal(server.tags.error, undefined);
  });

  test('a 5xx response marks the span as an error', async () => {
    reset();
    const reply = await request({ ':path': '/fail' });
    assert.equal(reply.status, 503);
    const server = (await spansUntil(2)).find((s) => s.tags['span.kind'] === 'server')!;
    assert.equal(server.operationName, 'GET');
    assert.equal(server.tags['http.status_code'], 503);
    assert.equal(server.tags.error, true);
  });

  test('100 concurrent streams on one session: each its own trace, each child under its own span', async () => {
    reset();
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => request({ ':path': `/hello/${i}` })));
    const spans = await spansUntil(200);
    const servers = spans.filter((s) => s.tags['span.kind'] === 'server');
    assert.equal(new Set(servers.map((s) => s.traceId)).size, 100);
    replies.forEach((reply, i) => {
      const span = servers.find((s) => s.tags['http.url'] === `/hello/${i}`)!;
      assert.equal(reply.body, `/hello/${i}  ${span.spanId}`);
      assert.ok(spans.some((s) => s.operationName === 'work' && s.parentSpanId === span.spanId));
    });
  });

  test('without any tracer the adapter still serves, tracing nothing', async () => {
    assert.equal(globalTracer().disabled, true, 'before any init, a no-op tracer');
    const untraced = http2.createServer();
    untraced.on('stream', traceStreams((stream) => {
      stream.respond({ ':status': 200 });
      stream.end('plain');
    }));
    await new Promise<void>((resolve) => untraced.listen(0, '127.0.0.1', resolve));
    const session = http2.connect(`http://127.0.0.1:${(untraced.address() as AddressInfo).port}`);
    const body = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ':path': '/' });
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        text += chunk;
      });
      stream.on('end', () => resolve(text));
      stream.on('error', reject);
      stream.end();
    });
    session.close();
    await new Promise((resolve) => untraced.close(resolve));
    assert.equal(body, 'plain');
  });
});

describe('the example program', () => {
  test('examples/custom-server/server.ts serves, traces and prints the continued trace', () => {
    const script = fileURLToPath(new URL('../../examples/custom-server/server.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'hello ada');
    assert.match(result.stderr, /trace 4bf92f3577b34da6a3ce929d0e0e4736/);
    assert.match(result.stderr, /GET \/hello\/:name/);
    assert.match(result.stderr, /render greeting/);
  });
});
