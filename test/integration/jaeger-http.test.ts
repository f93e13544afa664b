// JaegerHttpExporter against a real local HTTP server standing in for the Jaeger collector.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { JaegerHttpExporter, MAX_REQUEST_BYTES } from '../../src/reporting/jaeger-http.js';
import type { JaegerHttpOptions } from '../../src/reporting/jaeger-http.js';
import { isInternal } from '../../src/tracer/internal-requests.js';
import type { Span } from '../../src/tracer/span.js';
import { decodeBinaryBatch } from '../peers/jaeger-thrift-decode.js';
import { collectingTracer, exporterContext } from '../peers/jaeger-fixture.js';
import { refusingPort, startHttpCollector } from '../support/http-collector.js';
import type { HttpCollector } from '../support/http-collector.js';

let collector: HttpCollector;
let endpoint: string;

before(async () => {
  collector = await startHttpCollector(202);
  endpoint = `${collector.origin}/api/traces?format=jaeger.thrift`;
});
after(() => collector.close());
beforeEach(() => collector.reset());

function spans(count: number): Span[] {
  const { tracer, spans: finished } = collectingTracer();
  for (let i = 0; i < count; i++) tracer.startSpan('op', { tags: { index: i } }).finish();
  return finished;
}

function exporter(options: Partial<JaegerHttpOptions> = {}, messages: string[] = []): JaegerHttpExporter {
  const context = { ...exporterContext(), logger: { error: (m: string) => messages.push(m), warn: (m: string) => messages.push(m) } };
  return new JaegerHttpExporter({ endpoint, retryDelayMs: 20, ...options }, context);
}

describe('JaegerHttpExporter', () => {
  test('POSTs application/x-thrift to the endpoint path and query, with Content-Length', async () => {
    const e = exporter({ headers: { 'X-Tenant': 'blue' } });
    assert.deepEqual(await e.export(spans(5)), { sent: 5, droppedTooLarge: 0, failed: 0 });
    assert.equal(collector.received.length, 1);
    const [request] = collector.received;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.url, '/api/traces?format=jaeger.thrift');
    assert.equal(request!.headers['content-type'], 'application/x-thrift');
    assert.equal(request!.headers['content-length'], String(request!.body.length));
    assert.equal(request!.headers['x-tenant'], 'blue');
    assert.equal(request!.headers.authorization, undefined);
    assert.equal(decodeBinaryBatch(request!.body).spans.length, 5);
    await e.shutdown();
  });

  test('basic auth from username/password', async () => {
    const e = exporter({ username: 'jaeger', password: 'p@ss:word' });
    await e.export(spans(1));
    assert.equal(collector.received[0]!.headers.authorization, `Basic ${Buffer.from('jaeger:p@ss:word').toString('base64')}`);
    await e.shutdown();
  });

  test('basic auth from userinfo in the endpoint', async () => {
    const e = exporter({ endpoint: endpoint.replace('http://', 'http://us%40er:s%3Acret@') });
    await e.export(spans(1));
    assert.equal(collector.received[0]!.headers.authorization, `Basic ${Buffer.from('us@er:s:cret').toString('base64')}`);
    await e.shutdown();
    const malformed = exporter({ endpoint: endpoint.replace('http://', 'http://a%zz:b@') });
    await malformed.export(spans(1));
    assert.equal(collector.received[1]!.headers.authorization, `Basic ${Buffer.from('a%zz:b').toString('base64')}`);
    await malformed.shutdown();
  });

  test('bearer token', async () => {
    const e = exporter({ authToken: 'tok-123' });
    await e.export(spans(1));
    assert.equal(collector.received[0]!.headers.authorization, 'Bearer tok-123');
    await e.shutdown();
  });

  test('retries 503 and 429, then succeeds with the same body', async () => {
    collector.answers = [503, 429];
    const e = exporter({ maxRetries: 2 });
    assert.deepEqual(await e.export(spans(3)), { sent: 3, droppedTooLarge: 0, failed: 0 });
    assert.equal(collector.received.length, 3);
    assert.deepEqual(collector.received[1]!.body, collector.received[0]!.body);
    assert.deepEqual(collector.received[2]!.body, collector.received[0]!.body);
    await e.shutdown();
  });

  test('gives up after maxRetries; credentials never reach the logger', async () => {
    collector.answers = [503, 503, 503, 503];
    const messages: string[] = [];
    const e = exporter({ maxRetries: 2, username: 'admin', password: 'hunter2' }, messages);
    assert.deepEqual(await e.export(spans(4)), { sent: 0, droppedTooLarge: 0, failed: 4 });
    assert.equal(collector.received.length, 3);
    assert.ok(messages.some((m) => m.includes('503')), messages.join('\n'));
    const secret = Buffer.from('admin:hunter2').toString('base64');
    for (const m of messages) assert.ok(!m.includes('hunter2') && !m.includes(secret), m);
    await e.shutdown();
  });

  test('a 4xx other than 429 is not retried', async () => {
    collector.answers = [400];
    const e = exporter();
    assert.deepEqual(await e.export(spans(2)), { sent: 0, droppedTooLarge: 0, failed: 2 });
    assert.equal(collector.received.length, 1);
    await e.shutdown();
  });

  test('collector down: spans failed, no rejection, bounded time', async () => {
    const port = await refusingPort();
    const messages: string[] = [];
    const e = exporter({ endpoint: `http://127.0.0.1:${port}/api/traces`, maxRetries: 2 }, messages);
    const started = Date.now();
    assert.deepEqual(await e.export(spans(10)), { sent: 0, droppedTooLarge: 0, failed: 10 });
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.ok(messages.some((m) => m.includes('ECONNREFUSED')), messages.join('\n'));
    await e.shutdown();
  });

  test('any 5xx is retried (OTLP retries only 502, 503 and 504)', async () => {
    collector.answers = [500, 501];
    const e = exporter({ maxRetries: 2 });
    assert.deepEqual(await e.export(spans(1)), { sent: 1, droppedTooLarge: 0, failed: 0 });
    assert.equal(collector.received.length, 3);
    await e.shutdown();
  });

  test('a Retry-After from the collector sets the retry delay', async () => {
    collector.answers = [{ status: 503, headers: { 'Retry-After': '1' } }];
    const e = exporter({ retryDelayMs: 1 });
    const started = Date.now();
    assert.deepEqual(await e.export(spans(1)), { sent: 1, droppedTooLarge: 0, failed: 0 });
    const elapsed = Date.now() - started;
    assert.equal(collector.received.length, 2);
    assert.ok(elapsed >= 900, `retried after ${elapsed} ms`);
    await e.shutdown();
  });

  test('a collector that never answers times out on every attempt', async () => {
    collector.answers = ['hang', 'hang'];
    const e = exporter({ timeoutMs: 150, maxRetries: 1 });
    const started = Date.now();
    assert.deepEqual(await e.export(spans(2)), { sent: 0, droppedTooLarge: 0, failed: 2 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 300 && elapsed < 1500, `took ${elapsed} ms`);
    assert.equal(collector.received.length, 2);
    await e.shutdown();
  });

  test(`batches above ${MAX_REQUEST_BYTES} bytes are split into several requests`, async () => {
    const { tracer, spans: big } = collectingTracer({ limits: { maxTagValueLength: 100_000 } });
    for (let i = 0; i < 220; i++) tracer.startSpan('big', { tags: { index: i, blob: 'b'.repeat(20_000) } }).finish();
    const e = exporter();
    assert.deepEqual(await e.export(big), { sent: 220, droppedTooLarge: 0, failed: 0 });
    assert.ok(collector.received.length >= 2, `${collector.received.length} requests`);
    for (const r of collector.received) assert.ok(r.body.length <= MAX_REQUEST_BYTES);
    const indexes = collector.received.flatMap((r) => decodeBinaryBatch(r.body).spans.map((s) => s.tags!.find((t) => t.key === 'index')!.vLong));
    assert.deepEqual(indexes, big.map((_, i) => BigInt(i)));
    await e.shutdown();
  });

  test('its requests go through an agent marked internal (never traced)', async () => {
    const agents: unknown[] = [];
    const onStart = (message: unknown): void => {
      agents.push((message as { request: { agent?: unknown } }).request.agent);
    };
    diagnosticsChannel.subscribe('http.client.request.start', onStart);
    try {
      const e = exporter();
      await e.export(spans(1));
      await e.shutdown();
    } finally {
      diagnosticsChannel.unsubscribe('http.client.request.start', onStart);
    }
    assert.equal(agents.length, 1);
    assert.equal(isInternal(agents[0]), true);
  });

  test('shutdown waits for the request in flight; later exports fail at once', async () => {
    const e = exporter();
    const pending = e.export(spans(3));
    await e.shutdown();
    assert.deepEqual(await pending, { sent: 3, droppedTooLarge: 0, failed: 0 });
    assert.deepEqual(await e.export(spans(2)), { sent: 0, droppedTooLarge: 0, failed: 2 });
    await e.shutdown();
  });

  test('shutdown: a request in flight gets its timeout, no retry, and the spans count as failed', async () => {
    collector.answers = ['hang'];
    const e = exporter({ timeoutMs: 300, maxRetries: 2 });
    const pending = e.export(spans(2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await e.shutdown();
    assert.deepEqual(await pending, { sent: 0, droppedTooLarge: 0, failed: 2 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 200 && elapsed < 1000, `shutdown took ${elapsed} ms`);
    assert.equal(collector.received.length, 1, 'no retry once shut down');
  });

  test('an endpoint that is not an http(s) URL is a TypeError at construction', () => {
    assert.throws(() => exporter({ endpoint: 'localhost:14268' }), TypeError);
    assert.throws(() => exporter({ endpoint: 'ftp://collector/api/traces' }), TypeError);
  });
});
