// OtlpHttpExporter (and the tracer wired to it) against a real local HTTP server standing in for
// an OTLP/HTTP receiver (OpenTelemetry Collector, Jaeger v2).
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { initTracer } from '../../src/config/init.js';
import { InMemoryReporter } from '../../src/reporting/memory.js';
import { MAX_OTLP_BODY_BYTES, OtlpHttpExporter } from '../../src/reporting/otlp-http.js';
import type { OtlpHttpOptions } from '../../src/reporting/otlp-http.js';
import { isInternal } from '../../src/tracer/internal-requests.js';
import type { Span } from '../../src/tracer/span.js';
import { decodeTraceRequest } from '../peers/otlp-schema.js';
import { refusingPort, startHttpCollector } from '../support/http-collector.js';
import type { HttpCollector } from '../support/http-collector.js';

let collector: HttpCollector;
let endpoint: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  collector = await startHttpCollector(200);
  endpoint = `${collector.origin}/v1/traces`;
});
after(async () => {
  await collector.close();
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'no unhandled rejections');
});
beforeEach(() => collector.reset());

const context = { serviceName: 'checkout', processTags: { hostname: 'h1' } };

function spans(count: number): Span[] {
  const reporter = new InMemoryReporter();
  const tracer = initTracer({ serviceName: 'checkout', global: false }, { reporter });
  for (let i = 0; i < count; i++) tracer.startSpan(`op-${i}`, { tags: { index: i } }).finish();
  return [...reporter.finishedSpans()];
}

function exporter(options: Partial<OtlpHttpOptions> = {}, messages: string[] = []): OtlpHttpExporter {
  const logger = { error: (m: string) => messages.push(m), warn: (m: string) => messages.push(m) };
  return new OtlpHttpExporter({ endpoint, retryDelayMs: 10, ...options }, { ...context, logger });
}

describe('OtlpHttpExporter', () => {
  test('POSTs application/x-protobuf that decodes as an ExportTraceServiceRequest', async () => {
    const e = exporter();
    assert.deepEqual(await e.export(spans(5)), { sent: 5, droppedTooLarge: 0, failed: 0 });
    assert.equal(collector.received.length, 1);
    const request = collector.received[0]!;
    assert.equal(request.url, '/v1/traces');
    assert.equal(request.headers['content-type'], 'application/x-protobuf');
    assert.equal(request.headers['content-length'], String(request.body.length));
    const decoded = decodeTraceRequest(request.body);
    assert.deepEqual(decoded.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name), ['op-0', 'op-1', 'op-2', 'op-3', 'op-4']);
    await e.shutdown();
  });

  test('protocol json POSTs application/json in the OTLP/JSON shape', async () => {
    const e = exporter({ protocol: 'json' });
    assert.deepEqual(await e.export(spans(2)), { sent: 2, droppedTooLarge: 0, failed: 0 });
    assert.equal(collector.received[0]!.headers['content-type'], 'application/json');
    const body = JSON.parse(collector.received[0]!.body.toString('utf8')) as { resourceSpans: { scopeSpans: { spans: { name: string; traceId: string }[] }[] }[] };
    const sent = body.resourceSpans[0]!.scopeSpans[0]!.spans;
    assert.deepEqual(sent.map((s) => s.name), ['op-0', 'op-1']);
    assert.match(sent[0]!.traceId, /^[0-9a-f]{32}$/);
    await e.shutdown();
  });

  test('custom headers are sent; their values never appear in logs', async () => {
    const messages: string[] = [];
    const e = exporter({ headers: { 'x-api-key': 'secret-value-123', Authorization: 'Bearer secret-token-456' } }, messages);
    collector.answers = [401];
    assert.deepEqual(await e.export(spans(1)), { sent: 0, droppedTooLarge: 0, failed: 1 });
    assert.equal(collector.received.length, 1, '401 is not retried');
    assert.equal(collector.received[0]!.headers['x-api-key'], 'secret-value-123');
    assert.equal(collector.received[0]!.headers.authorization, 'Bearer secret-token-456');
    assert.ok(messages.some((m) => m.includes('401')), messages.join('\n'));
    assert.ok(messages.every((m) => !m.includes('secret')), messages.join('\n'));
    await e.shutdown();
  });

  test('a malformed escape in endpoint userinfo is taken literally (no URIError)', async () => {
    const e = exporter({ endpoint: endpoint.replace('http://', 'http://a%zz:b@') });
    await e.export(spans(1));
    assert.equal(collector.received[0]!.headers.authorization, `Basic ${Buffer.from('a%zz:b').toString('base64')}`);
    await e.shutdown();
  });

  test('retries 503, 429 and 502 with backoff, then succeeds', async () => {
    const e = exporter();
    collector.answers = [503, { status: 429, headers: { 'Retry-After': '0' } }, 502];
    assert.deepEqual(await e.export(spans(3)), { sent: 3, droppedTooLarge: 0, failed: 0 });
    assert.equal(collector.received.length, 4);
    assert.ok(collector.received.every((r) => r.body.equals(collector.received[0]!.body)), 'the same body each attempt');
    await e.shutdown();
  });

  test('gives up after maxRetries and counts the spans as failed', async () => {
    const e = exporter({ maxRetries: 2 });
    collector.answers = [503, 503, 503, 503];
    assert.deepEqual(await e.export(spans(4)), { sent: 0, droppedTooLarge: 0, failed: 4 });
    assert.equal(collector.received.length, 3);
    await e.shutdown();
  });

  test('once retries are used up, later batches get one attempt each until one succeeds', async () => {
    const e = exporter({ maxRetries: 2 });
    collector.answers = [503, 503, 503];
    assert.equal((await e.export(spans(1))).failed, 1);
    assert.equal(collector.received.length, 3);
    collector.answers = [503];
    assert.equal((await e.export(spans(1))).failed, 1);
    assert.equal(collector.received.length, 4, 'a single attempt while the receiver is failing');
    assert.equal((await e.export(spans(1))).sent, 1);
    collector.answers = [503];
    assert.equal((await e.export(spans(1))).sent, 1, 'retries are back after a success');
    assert.equal(collector.received.length, 7);
    await e.shutdown();
  });

  test('batches over 4 MB are split into several requests; a span too large on its own is dropped and counted', async () => {
    const reporter = new InMemoryReporter();
    const tracer = initTracer({ serviceName: 'checkout', global: false, limits: { maxTagValueLength: 6_000_000 } }, { reporter });
    for (let i = 0; i < 5; i++) tracer.startSpan(`large-${i}`, { tags: { payload: 'x'.repeat(1_500_000) } }).finish();
    tracer.startSpan('huge', { tags: { payload: 'y'.repeat(5_000_000) } }).finish();
    const e = exporter();
    assert.deepEqual(await e.export(reporter.finishedSpans()), { sent: 5, droppedTooLarge: 1, failed: 0 });
    assert.ok(collector.received.length >= 2);
    assert.ok(collector.received.every((r) => r.body.length <= MAX_OTLP_BODY_BYTES));
    const names = collector.received.flatMap((r) => decodeTraceRequest(r.body).resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name));
    assert.deepEqual(names, ['large-0', 'large-1', 'large-2', 'large-3', 'large-4']);
    await e.shutdown();
  });

  test('a receiver that never answers times out and is retried within bounds', async () => {
    const e = exporter({ timeoutMs: 100, maxRetries: 1 });
    collector.answers = ['hang', 'hang'];
    const started = Date.now();
    assert.deepEqual(await e.export(spans(1)), { sent: 0, droppedTooLarge: 0, failed: 1 });
    assert.equal(collector.received.length, 2);
    assert.ok(Date.now() - started < 2000);
    await e.shutdown();
  });

  test('collector down: failures counted, nothing thrown or rejected, fault logged once', async () => {
    const messages: string[] = [];
    const port = await refusingPort();
    const e = new OtlpHttpExporter({ endpoint: `http://127.0.0.1:${port}/v1/traces`, retryDelayMs: 5, maxRetries: 2 },
      { ...context, logger: { error: (m: string) => messages.push(m) } });
    assert.deepEqual(await e.export(spans(3)), { sent: 0, droppedTooLarge: 0, failed: 3 });
    assert.deepEqual(await e.export(spans(2)), { sent: 0, droppedTooLarge: 0, failed: 2 });
    assert.equal(messages.length, 1, messages.join('\n'));
    // One prefix, the endpoint, the cause: not `otlp ECONNREFUSED: otlp: POST … failed: ECONNREFUSED`.
    assert.equal(messages[0], `otlp: POST http://127.0.0.1:${port}/v1/traces failed: ECONNREFUSED`);
    await e.shutdown();
    assert.deepEqual(await e.export(spans(1)), { sent: 0, droppedTooLarge: 0, failed: 1 }, 'after shutdown');
  });

  test('shutdown aborts a request still unanswered after 2 s, without retrying it, so nothing holds the process', async () => {
    const e = exporter({ maxRetries: 2 });
    collector.answers = ['hang'];
    const pending = e.export(spans(2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await e.shutdown();
    const elapsed = Date.now() - started;
    assert.deepEqual(await pending, { sent: 0, droppedTooLarge: 0, failed: 2 });
    assert.ok(elapsed >= 1900 && elapsed < 3000, `shutdown took ${elapsed} ms`);
    assert.equal(collector.received.length, 1, 'no retry once shut down');
  });

  test('requests go through an agent marked internal (never traced by our HTTP instrumentation)', async () => {
    const agents: unknown[] = [];
    const onStart = (message: unknown): void => { agents.push((message as { request: { agent?: unknown } }).request.agent); };
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
});

describe('a tracer configured for OTLP', () => {
  test('exporter otlp delivers finished spans with config headers; stats count them', async () => {
    const tracer = initTracer({
      serviceName: 'checkout',
      global: false,
      reporter: { exporter: 'otlp', otlpEndpoint: endpoint, headers: { 'x-tenant': 'blue' } },
    });
    await tracer.startActiveSpan('parent', async () => {
      tracer.startSpan('child').finish();
    });
    await tracer.close();
    assert.equal(collector.received.length, 1);
    assert.equal(collector.received[0]!.headers['x-tenant'], 'blue');
    const sent = decodeTraceRequest(collector.received[0]!.body).resourceSpans[0]!;
    assert.deepEqual(sent.scopeSpans[0]!.spans.map((s) => s.name), ['child', 'parent']);
    assert.deepEqual(sent.resource.attributes.find((a) => a.key === 'service.name')?.value, { stringValue: 'checkout' });
    const stats = tracer.stats();
    assert.equal(stats['reported'], 2);
    assert.equal(stats['sendFailures'], 0);
  });

  test('exporter otlp-json sends JSON', async () => {
    const tracer = initTracer({ serviceName: 'checkout', global: false, reporter: { exporter: 'otlp-json', otlpEndpoint: endpoint } });
    tracer.startSpan('one').finish();
    await tracer.close();
    assert.equal(collector.received[0]!.headers['content-type'], 'application/json');
  });
});
