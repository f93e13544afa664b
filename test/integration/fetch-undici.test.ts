import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as undici from 'undici';
import { createTestTracer } from '../../src/testing/index.js';
import type { SpanRecord } from '../../src/testing/index.js';
import { installAllPatches, uninstallAllPatches } from '../../src/plugins/install.js';
import { headerValues, startHttpServer, waitForSpans } from './http-client-servers.js';
import type { SeenRequest, TestServer } from './http-client-servers.js';

// The `undici` package (7.x): its dispatcher API is the `undici` integration, its fetch `fetch`.
const { tracer, finishedSpans, reset } = createTestTracer();
let server: TestServer;
const theirs = '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01';

function assertPropagated(request: SeenRequest, span: SpanRecord): void {
  assert.deepEqual(headerValues(request, 'traceparent'), [`00-${span.traceId}-${span.spanId}-01`]);
  assert.equal(headerValues(request, 'uber-trace-id').length, 1);
}

async function settle(count: number): Promise<SpanRecord[]> {
  const spans = await waitForSpans(finishedSpans, count);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(finishedSpans().length, count);
  return spans;
}

function errorMessage(span: SpanRecord): string {
  assert.equal(span.tags.error, true);
  const log = span.logs.find((l) => l.fields.event === 'error');
  assert.ok(log !== undefined, 'an error log');
  return String(log.fields.message);
}

before(async () => {
  server = await startHttpServer();
  assert.deepEqual(installAllPatches({ tracer, include: ['fetch', 'undici'] }), ['fetch', 'undici']);
});

after(async () => {
  uninstallAllPatches();
  await server.close();
});

describe('undici package', () => {
  test('request(): component undici, child of the active span, a caller traceparent replaced', async () => {
    reset();
    server.seen.length = 0;
    let parentId = '';
    await tracer.startActiveSpan('parent', async (parent) => {
      parentId = parent.context().toSpanId();
      const { statusCode, body } = await undici.request(`${server.origin}/ok`, { headers: { TraceParent: theirs, 'x-other': '1' } });
      assert.equal(statusCode, 200);
      assert.equal(await body.text(), 'ok');
    });
    const [span] = finishedSpans().filter((s) => s.operationName === 'GET');
    assert.equal(span!.parentSpanId, parentId);
    assert.equal(span!.tags.component, 'undici');
    assert.equal(span!.tags['http.status_code'], 200);
    assert.equal(span!.tags['http.url'], `${server.origin}/ok`);
    assertPropagated(server.seen[0]!, span!);
    assert.deepEqual(headerValues(server.seen[0]!, 'x-other'), ['1']);
  });

  test('request() with headers as a flat array, and POST with a body', async () => {
    reset();
    server.seen.length = 0;
    await (await undici.request(`${server.origin}/ok`, { headers: ['traceparent', theirs, 'Traceparent', theirs] })).body.text();
    const { body } = await undici.request(`${server.origin}/echo`, { method: 'POST', body: 'hello' });
    assert.equal(await body.text(), 'hello');
    const spans = await settle(2);
    assertPropagated(server.seen[0]!, spans[0]!);
    assertPropagated(server.seen[1]!, spans[1]!);
    assert.equal(spans[1]!.operationName, 'POST');
  });

  test("the package's fetch: component fetch", async () => {
    reset();
    server.seen.length = 0;
    await (await undici.fetch(`${server.origin}/ok`, { headers: { traceparent: theirs } })).text();
    const [span] = await settle(1);
    assert.equal(span!.tags.component, 'fetch');
    assertPropagated(server.seen[0]!, span!);
  });

  test('a Client with keep-alive: one connection, each request its own parent and status', async () => {
    reset();
    server.seen.length = 0;
    const client = new undici.Client(server.origin, { pipelining: 1 });
    const parents: string[] = [];
    const statuses = [200, 500, 201, 404];
    try {
      for (const status of statuses) {
        await tracer.startActiveSpan(`parent-${status}`, async (parent) => {
          parents.push(parent.context().toSpanId());
          const { body } = await client.request({ path: `/ok?status=${status}`, method: 'GET' });
          await body.text();
        });
      }
    } finally {
      await client.close();
    }
    assert.equal(new Set(server.seen.map((r) => r.remotePort)).size, 1, 'one connection');
    const spans = await waitForSpans(() => finishedSpans().filter((s) => s.tags.component === 'undici'), 4);
    assert.deepEqual(spans.map((s) => s.parentSpanId), parents);
    assert.deepEqual(spans.map((s) => s.tags['http.status_code']), statuses);
    for (let i = 0; i < statuses.length; i++) assertPropagated(server.seen[i]!, spans[i]!);
  });

  test('a Pool with concurrent requests', async () => {
    reset();
    const pool = new undici.Pool(server.origin, { connections: 4 });
    const expected = new Map<string, string>();
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => tracer.startActiveSpan(`p${i}`, async (parent) => {
        expected.set(`${server.origin}/slow?ms=${i % 5}&i=${i}`, parent.context().toSpanId());
        await (await pool.request({ path: `/slow?ms=${i % 5}&i=${i}`, method: 'GET' })).body.text();
      })));
    } finally {
      await pool.close();
    }
    const spans = await waitForSpans(() => finishedSpans().filter((s) => s.tags.component === 'undici'), 40);
    for (const span of spans) assert.equal(span.parentSpanId, expected.get(span.tags['http.url'] as string));
  });

  test('abort through a signal, and connection refused', async () => {
    reset();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(undici.request(`${server.origin}/hang`, { signal: controller.signal }));
    assert.match(errorMessage((await settle(1))[0]!), /abort/i);
    reset();
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    await assert.rejects(undici.request(`http://127.0.0.1:${port}/`), { code: 'ECONNREFUSED' });
    assert.match(errorMessage((await settle(1))[0]!), /ECONNREFUSED/);
  });
});
