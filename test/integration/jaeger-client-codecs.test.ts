// jaeger-client's documented way to speak B3: a codec registered for FORMAT_HTTP_HEADERS. The
// automatic instrumentation must use it too: the client writes X-B3-* (no uber-trace-id) and the
// server span continues the trace those headers carry. Real server and client on loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { initTracer } from '../../src/config/init.js';
import { InMemoryReporter, ZipkinB3TextMapCodec } from '../../src/jaeger-client/index.js';
import { installAllPatches, uninstallAllPatches } from '../../src/plugins/install.js';
import { waitForSpans } from './http-client-servers.js';

const reporter = new InMemoryReporter();
const tracer = initTracer({ serviceName: 'b3-service', global: false, sampler: { type: 'const', param: 1 } }, { reporter, logger: { error: () => {} } });
const codec = new ZipkinB3TextMapCodec({ urlEncoding: true });
tracer.registerInjector(FORMAT_HTTP_HEADERS, codec);
tracer.registerExtractor(FORMAT_HTTP_HEADERS, codec);

let server: http.Server;
let origin = '';
const received: http.IncomingHttpHeaders[] = [];

before(async () => {
  installAllPatches({ tracer, include: ['http-server', 'fetch'] });
  server = http.createServer((req, res) => {
    received.push(req.headers);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  uninstallAllPatches();
  await new Promise((resolve) => server.close(resolve));
  await tracer.close();
});

test('fetch writes B3 headers through the registered codec and the server span continues that trace', async () => {
  await tracer.startActiveSpan('caller', async (span) => {
    span.setBaggageItem('tenant', 'acme corp');
    assert.equal(await (await fetch(`${origin}/items`)).text(), 'ok');
  });
  const spans = await waitForSpans(() => reporter.spans, 3);
  const headers = received[0]!;
  assert.equal(headers['uber-trace-id'], undefined, 'the registered injector replaces the configured propagators');
  assert.equal(headers['traceparent'], undefined);
  assert.equal(headers['x-b3-sampled'], '1');
  assert.equal(headers['uberctx-tenant'], 'acme%20corp');
  const client = spans.find((s) => s.context().parentIdStr !== null && s.operationName === 'GET' && s.tags.includes('client'))!;
  const serverSpan = spans.find((s) => s.tags.includes('server'))!;
  assert.ok(client && serverSpan, 'a client and a server span');
  assert.equal(headers['x-b3-traceid'], client.context().toTraceId());
  assert.equal(headers['x-b3-spanid'], client.context().toSpanId());
  assert.equal(serverSpan.context().toTraceId(), client.context().toTraceId());
  assert.equal(serverSpan.context().parentSpanId(), client.context().toSpanId(), 'the server span is a child of the client span');
  assert.equal(serverSpan.getBaggageItem('tenant'), 'acme corp');
});
