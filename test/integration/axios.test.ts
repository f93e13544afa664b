import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import axios from 'axios';
import { createTestTracer } from '../../src/testing/index.js';
import type { SpanRecord } from '../../src/testing/index.js';
import { installAllPatches, uninstallAllPatches } from '../../src/plugins/install.js';
import { headerValues, startHttpServer, waitForSpans } from './http-client-servers.js';
import type { SeenRequest, TestServer } from './http-client-servers.js';

// axios goes through node:http (via follow-redirects): no axios-specific code is involved.
const { tracer, finishedSpans, reset } = createTestTracer();
let server: TestServer;

function assertPropagated(request: SeenRequest, span: SpanRecord): void {
  assert.deepEqual(headerValues(request, 'traceparent'), [`00-${span.traceId}-${span.spanId}-01`]);
  assert.equal(headerValues(request, 'uber-trace-id').length, 1);
}

before(async () => {
  server = await startHttpServer();
  installAllPatches({ tracer, include: ['http-client', 'fetch', 'undici'] });
});

after(async () => {
  uninstallAllPatches();
  await server.close();
});

describe('axios', () => {
  test('a redirect: one span per hop, both children of the caller, each hop propagated', async () => {
    reset();
    server.seen.length = 0;
    let parentId = '';
    await tracer.startActiveSpan('parent', async (parent) => {
      parentId = parent.context().toSpanId();
      const response = await axios.get(`${server.origin}/redirect?to=/ok`, { headers: { traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01' } });
      assert.equal(response.data, 'ok');
      assert.equal(tracer.activeSpan(), parent);
    });
    const spans = await waitForSpans(() => finishedSpans().filter((s) => s.tags.component === 'node-http'), 2);
    assert.deepEqual(spans.map((s) => [s.tags['http.url'], s.tags['http.status_code'], s.parentSpanId]), [
      [`${server.origin}/redirect?to=/ok`, 302, parentId],
      [`${server.origin}/ok`, 200, parentId],
    ]);
    assertPropagated(server.seen[0]!, spans[0]!);
    assertPropagated(server.seen[1]!, spans[1]!);
  });

  test('POST with a keep-alive agent, concurrent callers keep their own parents', async () => {
    reset();
    const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const expected = new Map<string, string>();
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => tracer.startActiveSpan(`p${i}`, async (parent) => {
        expected.set(`${server.origin}/echo?i=${i}`, parent.context().toSpanId());
        const response = await axios.post(`${server.origin}/echo?i=${i}`, { i }, { httpAgent });
        assert.deepEqual(response.data, { i });
      })));
    } finally {
      httpAgent.destroy();
    }
    const spans = await waitForSpans(() => finishedSpans().filter((s) => s.tags.component === 'node-http'), 20);
    for (const span of spans) {
      assert.equal(span.operationName, 'POST');
      assert.equal(span.parentSpanId, expected.get(span.tags['http.url'] as string));
    }
  });

  test('5xx and connection errors: axios rejects as before, the span records the error', async () => {
    reset();
    await assert.rejects(axios.get(`${server.origin}/ok?status=502`), (error: { response?: { status: number } }) => error.response?.status === 502);
    await assert.rejects(axios.get('http://127.0.0.1:1/'), { code: 'ECONNREFUSED' });
    const spans = await waitForSpans(finishedSpans, 2);
    assert.equal(spans[0]!.tags['http.status_code'], 502);
    assert.equal(spans[0]!.tags.error, true);
    assert.equal(spans[1]!.tags.error, true);
    assert.match(String(spans[1]!.logs[0]!.fields.message), /ECONNREFUSED/);
  });
});
