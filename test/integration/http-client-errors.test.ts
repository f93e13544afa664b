import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestTracer } from '../../src/testing/index.js';
import type { SpanRecord } from '../../src/testing/index.js';
import { installAllPatches, uninstallAllPatches } from '../../src/plugins/install.js';
import { markInternal } from '../../src/tracer/internal-requests.js';
import { headerValues, startHttpServer, waitForSpans, withPatches } from './http-client-servers.js';
import type { TestServer } from './http-client-servers.js';

const { tracer, finishedSpans, reset } = createTestTracer();
let server: TestServer;

async function oneClientSpan(): Promise<SpanRecord> {
  const spans = await waitForSpans(finishedSpans, 1);
  await new Promise((resolve) => setTimeout(resolve, 20)); // a second finish would show up by now
  assert.equal(finishedSpans().length, 1);
  return spans[0]!;
}

function settled(req: http.ClientRequest): Promise<Error | null> {
  return new Promise((resolve) => {
    req.on('error', resolve);
    req.on('close', () => resolve(null));
  });
}

function errorMessage(span: SpanRecord): unknown {
  assert.equal(span.tags.error, true);
  const log = span.logs.find((l) => l.fields.event === 'error');
  assert.ok(log !== undefined, 'an error log');
  return log.fields.message;
}

async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

before(async () => {
  server = await startHttpServer();
  installAllPatches({ tracer, include: ['http-client'] });
});

after(async () => {
  uninstallAllPatches();
  await server.close();
});

describe('node:http client: every way a request can end finishes its span once', () => {
  test('connection refused', async () => {
    reset();
    const error = await settled(http.get(`http://127.0.0.1:${await closedPort()}/x`));
    assert.equal((error as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    const span = await oneClientSpan();
    assert.match(String(errorMessage(span)), /ECONNREFUSED/);
    assert.equal(span.tags['http.status_code'], undefined);
  });

  test('socket hang-up before a response', async () => {
    reset();
    const error = await settled(http.get(`${server.origin}/hangup`));
    assert.equal(error?.message, 'socket hang up');
    assert.equal(errorMessage(await oneClientSpan()), 'socket hang up');
  });

  test('destroyed before it connected', async () => {
    reset();
    const req = http.get(`${server.origin}/ok`);
    req.destroy();
    assert.equal((await settled(req))?.message, 'socket hang up');
    assert.equal(errorMessage(await oneClientSpan()), 'socket hang up');
  });

  test('abort() before it connected (no error event at all)', async () => {
    reset();
    const req = http.get(`${server.origin}/ok`);
    req.abort();
    assert.equal(await settled(req), null);
    assert.equal(errorMessage(await oneClientSpan()), 'request closed before a response');
  });

  test('aborted through an AbortSignal while waiting for the response', async () => {
    reset();
    const controller = new AbortController();
    const req = http.get(`${server.origin}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    assert.equal((await settled(req))?.name, 'AbortError');
    assert.match(String(errorMessage(await oneClientSpan())), /aborted/i);
  });

  test('timeout, with the caller destroying the request', async () => {
    reset();
    const req = http.get(`${server.origin}/hang`, { timeout: 30 });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    assert.equal((await settled(req))?.message, 'request timed out');
    assert.equal(errorMessage(await oneClientSpan()), 'request timed out');
  });

  test('connection dropped in the middle of the response body', async () => {
    reset();
    const req = http.get(`${server.origin}/half`, (res) => {
      res.on('data', () => {});
      res.on('error', () => {});
    });
    req.on('error', () => {});
    await new Promise((resolve) => req.on('close', resolve));
    const span = await oneClientSpan();
    assert.equal(span.tags['http.status_code'], 200);
    assert.equal(errorMessage(span), 'aborted');
  });

  test('response ignored (no listener): Node discards it and the span ends', async () => {
    reset();
    http.get(`${server.origin}/ok`);
    const span = await oneClientSpan();
    assert.equal(span.tags['http.status_code'], 200);
    assert.equal(span.tags.error, undefined);
  });

  test('response listened to but never read: the span lives as long as the response holds its socket', async () => {
    reset();
    const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`${server.origin}/big`, resolve));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(finishedSpans().length, 0, 'still open while the body is pending');
    res.destroy();
    const span = await oneClientSpan();
    assert.equal(span.tags['http.status_code'], 200);
    assert.match(String(errorMessage(span)), /aborted/);
  });

  test('headers given as a raw array cannot be added to: the request goes out unchanged, still traced', async () => {
    reset();
    server.seen.length = 0;
    const req = http.request(`${server.origin}/ok`, { headers: ['host', `127.0.0.1:${server.port}`, 'x-raw', '1'] });
    req.end();
    await settled(req);
    const span = await oneClientSpan();
    assert.equal(span.tags['http.status_code'], 200);
    assert.deepEqual(headerValues(server.seen[0]!, 'x-raw'), ['1']);
    assert.deepEqual(headerValues(server.seen[0]!, 'traceparent'), []);
  });

  test("the tracer's own requests (internal agents) are neither traced nor given headers", async () => {
    reset();
    server.seen.length = 0;
    const agent = markInternal(new http.Agent());
    await settled(http.get(`${server.origin}/ok`, { agent }, (res) => res.resume()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(finishedSpans().length, 0);
    assert.deepEqual(headerValues(server.seen[0]!, 'traceparent'), []);
    assert.deepEqual(headerValues(server.seen[0]!, 'uber-trace-id'), []);
  });
});

describe('options', () => {
  test('a request that is not sampled: headers with the sampled flag off, a span id of its own, no span reported', async () => {
    const unsampled = createTestTracer({ sampler: { type: 'const', param: 0 } });
    await withPatches({ tracer: unsampled.tracer, include: ['http-client'] }, { tracer, include: ['http-client'] }, async () => {
      server.seen.length = 0;
      const before = unsampled.tracer.stats();
      let parentId = '';
      let traceId = '';
      await unsampled.tracer.startActiveSpan('parent', async (parent) => {
        parentId = parent.context().toSpanId();
        traceId = parent.context().toTraceId();
        await settled(http.get(`${server.origin}/ok`, (res) => res.resume()));
      });
      const [traceparent] = headerValues(server.seen[0]!, 'traceparent');
      const [uberTraceId] = headerValues(server.seen[0]!, 'uber-trace-id');
      const [, headerTrace, spanId, flags] = traceparent!.split('-');
      assert.equal(headerTrace, traceId);
      assert.equal(flags, '00');
      assert.notEqual(spanId, parentId, 'the client span has an id of its own');
      assert.match(spanId!, /^[0-9a-f]{16}$/);
      assert.equal(uberTraceId, `${traceId.replace(/^0{16}/, '')}:${spanId}:${parentId}:0`);
      const after = unsampled.tracer.stats();
      assert.equal(after.spansStarted - before.spansStarted, 2);
      assert.equal(after.spansSampled - before.spansSampled, 0);
      assert.deepEqual(unsampled.finishedSpans(), []);
    });
  });

  test('ignoreUrls (prefix, exact path, RegExp) and errorOn4xx', async () => {
    const ignoring = { tracer, include: ['http-client'], errorOn4xx: true, ignoreUrls: [`${server.origin}/health`, '/ready', /metrics$/] };
    await withPatches(ignoring, { tracer, include: ['http-client'] }, async () => {
      reset();
      server.seen.length = 0;
      for (const path of ['/health/live', '/ready', '/ready?full=1', '/app/metrics', '/ok?status=404']) {
        await settled(http.get(`${server.origin}${path}`, (res) => res.resume()));
      }
      const span = await oneClientSpan();
      assert.equal(span.tags['http.url'], `${server.origin}/ok?status=404`);
      assert.equal(span.tags.error, true);
      assert.deepEqual(server.seen.map((r) => headerValues(r, 'traceparent').length), [0, 0, 0, 0, 1]);
    });
  });
});
