import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestTracer } from '../../src/testing/index.js';
import type { SpanRecord } from '../../src/testing/index.js';
import { installAllPatches, uninstallAllPatches } from '../../src/plugins/install.js';
import { headerValues, startHttpServer, waitForSpans, withPatches } from './http-client-servers.js';
import type { SeenRequest, TestServer } from './http-client-servers.js';

// Node's global fetch: its bundled undici (6.x on Node 20, 7.x on Node 24).
const { tracer, finishedSpans, reset } = createTestTracer();
let server: TestServer;

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
  assert.deepEqual(installAllPatches({ tracer, include: ['fetch'] }), ['fetch']);
});

after(async () => {
  uninstallAllPatches();
  await server.close();
});

describe('global fetch', () => {
  test('a child of the active span with the client tags, headers injected', async () => {
    reset();
    server.seen.length = 0;
    let parentId = '';
    await tracer.startActiveSpan('parent', async (parent) => {
      parentId = parent.context().toSpanId();
      const res = await fetch(`${server.origin}/ok?api_key=k`);
      assert.equal(await res.text(), 'ok');
    });
    const spans = finishedSpans().filter((s) => s.operationName === 'GET');
    assert.equal(spans.length, 1);
    assert.equal(spans[0]!.parentSpanId, parentId);
    assert.deepEqual(spans[0]!.tags, {
      'span.kind': 'client',
      component: 'fetch',
      'http.method': 'GET',
      'http.url': `${server.origin}/ok?api_key=REDACTED`,
      'peer.hostname': '127.0.0.1',
      'peer.port': server.port,
      'peer.ipv4': '127.0.0.1',
      'http.status_code': 200,
    });
    assertPropagated(server.seen[0]!, spans[0]!);
  });

  test('a traceparent the caller set is replaced, in every headers form', async () => {
    reset();
    server.seen.length = 0;
    const theirs = '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01';
    await fetch(`${server.origin}/ok`, { headers: { TraceParent: theirs, 'uber-trace-id': 'a:b:0:1' } }).then((r) => r.text());
    await fetch(`${server.origin}/ok`, { headers: new Headers({ traceparent: theirs }) }).then((r) => r.text());
    await fetch(`${server.origin}/ok`, { headers: [['traceparent', theirs]] }).then((r) => r.text());
    await fetch(new Request(`${server.origin}/echo`, { method: 'POST', body: 'x', headers: { traceparent: theirs } })).then((r) => r.text());
    const spans = await settle(4);
    for (let i = 0; i < 4; i++) assertPropagated(server.seen[i]!, spans[i]!);
  });

  test('not sampled: headers with the sampled flag off and a span id of its own, no span reported', async () => {
    const unsampled = createTestTracer({ sampler: { type: 'const', param: 0 } });
    await withPatches({ tracer: unsampled.tracer, include: ['fetch'] }, { tracer, include: ['fetch'] }, async () => {
      server.seen.length = 0;
      const parent = unsampled.tracer.startSpan('parent');
      await unsampled.tracer.withSpan(parent, () => fetch(`${server.origin}/ok`).then((r) => r.text()));
      const [traceparent] = headerValues(server.seen[0]!, 'traceparent');
      const [, traceId, spanId, flags] = traceparent!.split('-');
      assert.equal(traceId, parent.context().toTraceId());
      assert.equal(flags, '00');
      assert.match(spanId!, /^[0-9a-f]{16}$/);
      assert.notEqual(spanId, parent.context().toSpanId());
      assert.equal(headerValues(server.seen[0]!, 'uber-trace-id').length, 1);
      assert.equal(unsampled.tracer.stats().spansStarted, 2);
      assert.deepEqual(unsampled.finishedSpans(), []);
    });
  });

  test('keep-alive: sequential requests on reused connections end the right spans', async () => {
    reset();
    server.seen.length = 0;
    const parents: string[] = [];
    const statuses = [200, 503, 404, 200, 500];
    for (const status of statuses) {
      await tracer.startActiveSpan(`parent-${status}`, async (parent) => {
        parents.push(parent.context().toSpanId());
        await (await fetch(`${server.origin}/ok?status=${status}`)).text();
      });
    }
    assert.ok(new Set(server.seen.map((r) => r.remotePort)).size < statuses.length, 'connections were reused');
    const spans = await waitForSpans(() => finishedSpans().filter((s) => s.tags.component === 'fetch'), statuses.length);
    assert.deepEqual(spans.map((s) => s.parentSpanId), parents);
    assert.deepEqual(spans.map((s) => s.tags['http.status_code']), statuses);
    assert.deepEqual(spans.map((s) => s.tags.error === true), [false, true, false, false, true]);
    for (let i = 0; i < statuses.length; i++) assertPropagated(server.seen[i]!, spans[i]!);
  });

  test('concurrent requests with their own parents', async () => {
    reset();
    const expected = new Map<string, string>();
    await Promise.all(Array.from({ length: 50 }, (_, i) => tracer.startActiveSpan(`parent-${i}`, async (parent) => {
      expected.set(`${server.origin}/slow?ms=${i % 7}&i=${i}`, parent.context().toSpanId());
      await (await fetch(`${server.origin}/slow?ms=${i % 7}&i=${i}`)).text();
      assert.equal(tracer.activeSpan(), parent);
    })));
    const spans = await waitForSpans(() => finishedSpans().filter((s) => s.tags.component === 'fetch'), 50);
    for (const span of spans) assert.equal(span.parentSpanId, expected.get(span.tags['http.url'] as string));
  });

  test('a redirect: one span per hop', async () => {
    reset();
    server.seen.length = 0;
    await tracer.startActiveSpan('parent', async () => {
      const res = await fetch(`${server.origin}/redirect?to=/ok`);
      assert.equal(res.status, 200);
      await res.text();
    });
    const spans = finishedSpans().filter((s) => s.tags.component === 'fetch');
    assert.deepEqual(spans.map((s) => [s.tags['http.url'], s.tags['http.status_code']]), [
      [`${server.origin}/redirect?to=/ok`, 302],
      [`${server.origin}/ok`, 200],
    ]);
    assert.equal(spans[0]!.parentSpanId, spans[1]!.parentSpanId);
    assertPropagated(server.seen[0]!, spans[0]!);
    assertPropagated(server.seen[1]!, spans[1]!);
  });

  test('a body never read still ends the span once it has arrived', async () => {
    reset();
    const res = await fetch(`${server.origin}/ok`);
    assert.equal(res.status, 200);
    const [span] = await settle(1);
    assert.equal(span!.tags['http.status_code'], 200);
  });

  test('AbortController: aborted while waiting, and aborted before the request', async () => {
    reset();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(fetch(`${server.origin}/hang`, { signal: controller.signal }), { name: 'AbortError' });
    assert.match(errorMessage((await settle(1))[0]!), /abort/i);
    reset();
    await assert.rejects(fetch(`${server.origin}/ok`, { signal: AbortSignal.abort() }), { name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(finishedSpans().length, 0, 'nothing was sent, nothing is traced');
  });

  test('connection refused and a connection dropped mid-body', async () => {
    reset();
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    await assert.rejects(fetch(`http://127.0.0.1:${port}/`), TypeError);
    assert.match(errorMessage((await settle(1))[0]!), /ECONNREFUSED/);
    reset();
    const res = await fetch(`${server.origin}/half`);
    await assert.rejects(res.text());
    const [span] = await settle(1);
    assert.equal(span!.tags['http.status_code'], 200);
    assert.ok(errorMessage(span!).length > 0);
  });
});
