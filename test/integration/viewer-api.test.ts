// The viewer's HTTP surfaces on one instance: the Jaeger-shaped query API, the pages, the OTLP and
// collector bodies (gzip, 413, malformed), and the sampling endpoint with a strategies file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Viewer } from '../../src/viewer/viewer.js';
import type { DependencyLink, OperationStats } from '../../src/viewer/query.js';
import { parseStrategy } from '../../src/sampling/remote-strategy.js';
import { apiGet, startTestViewer, waitForSpans } from '../support/viewer.js';
import { T0, makeSpan, traceId } from '../unit/viewer/span-fixture.js';

let viewer: Viewer;
let dir: string;
const strategies = (): string => join(dir, 'strategies.json');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'viewer-api-'));
  writeFileSync(strategies(), JSON.stringify({
    default_strategy: { type: 'probabilistic', param: 0.5 },
    service_strategies: [
      { service: 'orders', type: 'probabilistic', param: 0.8, operation_strategies: [{ operation: 'GET /health', type: 'probabilistic', param: 0 }] },
      { service: 'gateway', type: 'ratelimiting', param: 5 },
    ],
  }));
  viewer = await startTestViewer({ samplingStrategies: strategies(), maxBodyBytes: 64 * 1024 });
  const gw = { serviceName: 'gateway', tags: [{ key: 'hostname', type: 'string' as const, value: 'h1' }] };
  const orders = { serviceName: 'orders', tags: [] };
  // Trace 1: gateway GET /checkout → orders POST /orders (error) ; trace 2: gateway GET /health (fast)
  const root = makeSpan({ traceID: traceId(1), operationName: 'GET /checkout', startTime: T0, duration: 50_000, process: gw, tags: [{ key: 'http.status_code', type: 'int64', value: 502 }] });
  const call = makeSpan({ traceID: traceId(1), operationName: 'POST', parentSpanID: root.spanID, startTime: T0 + 1000, duration: 40_000, process: gw });
  const handler = makeSpan({ traceID: traceId(1), operationName: 'POST /orders', parentSpanID: call.spanID, startTime: T0 + 2000, duration: 30_000, process: orders, tags: [{ key: 'error', type: 'bool', value: true }] });
  const health = makeSpan({ traceID: traceId(2), operationName: 'GET /health', startTime: T0 + 100_000, duration: 500, process: gw });
  viewer.ingest([root, call]);
  viewer.ingest([handler]); // the same trace in a second batch
  viewer.ingest([health]);
});
after(async () => {
  await viewer.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('query API (Jaeger shapes)', () => {
  it('lists services and operations', async () => {
    assert.deepEqual((await apiGet<{ data: string[] }>(viewer, '/api/services')).data, ['gateway', 'orders']);
    assert.deepEqual((await apiGet<{ data: string[] }>(viewer, '/api/services/gateway/operations')).data, ['GET /checkout', 'GET /health', 'POST']);
  });

  it('returns a trace with spans, references, processes and processIDs', async () => {
    const { data } = await apiGet(viewer, `/api/traces/${traceId(1)}`);
    const trace = data[0]!;
    assert.equal(trace.traceID, traceId(1));
    assert.deepEqual(trace.spans.map((s) => s.operationName), ['GET /checkout', 'POST', 'POST /orders']);
    const [root, call, handler] = trace.spans;
    assert.deepEqual(handler!.references, [{ refType: 'CHILD_OF', traceID: traceId(1), spanID: call!.spanID }]);
    assert.equal(trace.processes[root!.processID]!.serviceName, 'gateway');
    assert.deepEqual(trace.processes[root!.processID]!.tags, [{ key: 'hostname', type: 'string', value: 'h1' }]);
    assert.equal(trace.processes[handler!.processID]!.serviceName, 'orders');
    assert.notEqual(root!.processID, handler!.processID);
    for (const span of trace.spans) assert.deepEqual(Object.keys(span).sort(), ['duration', 'flags', 'logs', 'operationName', 'processID', 'references', 'spanID', 'startTime', 'tags', 'traceID', 'warnings']);
    // 64-bit ids are looked up as Jaeger prints them
    assert.equal((await apiGet(viewer, `/api/traces/1`)).data[0]!.traceID, traceId(1));
    const missing = await fetch(viewer.uiUrl('/api/traces/abcdef'));
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { errors: { code: number }[] }).errors[0]!.code, 404);
  });

  it('searches by service, operation, tags, durations, time window, errors and limit', async () => {
    const ids = async (query: string): Promise<string[]> => (await apiGet(viewer, `/api/traces?${query}`)).data.map((t) => t.traceID);
    assert.deepEqual(await ids('service=gateway'), [traceId(2), traceId(1)], 'newest first');
    assert.deepEqual(await ids('service=gateway&limit=1'), [traceId(2)]);
    assert.deepEqual(await ids('service=orders'), [traceId(1)]);
    assert.deepEqual(await ids('service=gateway&operation=GET%20/health'), [traceId(2)]);
    assert.deepEqual(await ids(`service=gateway&tags=${encodeURIComponent('{"http.status_code":"502"}')}`), [traceId(1)]);
    assert.deepEqual(await ids('service=gateway&tag=hostname:h1&tag=http.status_code:502'), [traceId(1)]);
    assert.deepEqual(await ids(`tags=${encodeURIComponent('error=true')}`), [traceId(1)]);
    assert.deepEqual(await ids('service=gateway&minDuration=10ms'), [traceId(1)]);
    assert.deepEqual(await ids('service=gateway&maxDuration=1ms'), [traceId(2)]);
    assert.deepEqual(await ids(`start=${T0 + 50_000}`), [traceId(2)]);
    assert.deepEqual(await ids(`end=${T0 + 50_000}`), [traceId(1)]);
    assert.deepEqual(await ids('errorsOnly=true'), [traceId(1)]);
    assert.deepEqual(await ids('service=nobody'), []);
  });

  it('derives service dependencies with call and error counts', async () => {
    const { data } = await apiGet<{ data: DependencyLink[] }>(viewer, '/api/dependencies');
    assert.deepEqual(data, [{ parent: 'gateway', child: 'orders', callCount: 1, errorCount: 1 }]);
  });

  it('computes per-operation counts, error rates and percentiles', async () => {
    const { data } = await apiGet<{ data: OperationStats[] }>(viewer, '/api/operations/stats');
    const orders = data.find((s) => s.service === 'orders')!;
    assert.deepEqual(orders, { service: 'orders', operation: 'POST /orders', count: 1, errors: 1, p50: 30_000, p95: 30_000, p99: 30_000 });
  });

  it('renders the pages', async () => {
    const trace = await (await fetch(viewer.uiUrl(`/trace/${traceId(1)}`))).text();
    assert.equal(trace.match(/class="row/g)!.length, 3);
    assert.match(trace, /class="row c\d error critical"/);
    const search = await (await fetch(viewer.uiUrl('/search?service=gateway'))).text();
    assert.equal(search.match(/<li class="result"/g)!.length, 2);
    assert.match(search, /<svg class="scatter"/);
    const deps = await (await fetch(viewer.uiUrl('/dependencies'))).text();
    assert.match(deps, /data-parent="gateway" data-child="orders"/);
    assert.match(deps, /1 call · 100% errors/);
    const ops = await (await fetch(viewer.uiUrl('/operations?service=orders'))).text();
    assert.match(ops, /POST \/orders/);
    assert.equal((await fetch(viewer.uiUrl(`/trace/${'f'.repeat(32)}`))).status, 404);
    assert.equal((await fetch(viewer.uiUrl('/nowhere'))).status, 404);
  });

  it('escapes what senders wrote', async () => {
    const evil = makeSpan({ traceID: traceId(3), operationName: '<script>alert(1)</script>', process: { serviceName: '"><img src=x>', tags: [] } });
    viewer.ingest([evil]);
    const html = await (await fetch(viewer.uiUrl(`/trace/${traceId(3)}`))).text();
    assert.doesNotMatch(html, /<script>alert|<img src=x>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});

describe('receivers over HTTP', () => {
  const otlpUrl = (): string => `http://127.0.0.1:${viewer.ports.otlpPort}/v1/traces`;
  const jsonBody = (trace: string, span: string): string => JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gz' } }] }, scopeSpans: [{ spans: [{ traceId: trace, spanId: span, name: 'zipped', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000001000000', kind: 'SPAN_KIND_SERVER' }] }] }],
  });

  it('accepts gzip bodies and enum names', async () => {
    const trace = 'ab'.repeat(16);
    const response = await fetch(otlpUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(jsonBody(trace, 'cd'.repeat(8))) });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{}');
    await waitForSpans(viewer, trace, 1);
    const span = (await apiGet(viewer, `/api/traces/${trace}`)).data[0]!.spans[0]!;
    assert.equal(span.duration, 1000);
    assert.equal(span.startTime, 1_700_000_000_000_000);
    assert.equal(span.tags.find((t) => t.key === 'span.kind')?.value, 'server');
  });

  it('refuses oversized bodies with 413, declared or inflated, and counts malformed ones', async () => {
    const before = { ...viewer.receivers.otlp };
    const big = await fetch(otlpUrl(), { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.alloc(100 * 1024) });
    assert.equal(big.status, 413);
    const bomb = await fetch(otlpUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(10 * 1024 * 1024, 32)) });
    assert.equal(bomb.status, 413);
    const bad = await fetch(otlpUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz"}]}]}]}' });
    assert.equal(bad.status, 400);
    const badThrift = await fetch(`http://127.0.0.1:${viewer.ports.collectorPort}/api/traces`, { method: 'POST', headers: { 'content-type': 'application/x-thrift' }, body: Buffer.from([1, 2, 3]) });
    assert.equal(badThrift.status, 400);
    assert.equal(viewer.receivers.otlp.tooLarge, before.tooLarge + 2);
    assert.equal(viewer.receivers.otlp.malformed, before.malformed + 1);
    assert.equal(viewer.receivers.collector.malformed, 1);
    assert.equal((await fetch(otlpUrl(), { method: 'GET' })).status, 405);
    assert.equal((await apiGet<{ malformed: number }>(viewer, '/api/stats')).malformed, before.malformed + 2);
  });
});

describe('sampling manager', () => {
  const sampling = async (service: string): Promise<unknown> => (await fetch(`http://127.0.0.1:${viewer.ports.samplingPort}/sampling?service=${service}`)).json();

  it('answers from the strategies file: per operation, rate limiting, default', async () => {
    assert.deepEqual(await sampling('orders'), {
      strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0.8 },
      operationSampling: { defaultSamplingProbability: 0.8, defaultLowerBoundTracesPerSecond: 0, perOperationStrategies: [{ operation: 'GET /health', probabilisticSampling: { samplingRate: 0 } }], defaultUpperBoundTracesPerSecond: 0 },
    });
    assert.deepEqual(await sampling('gateway'), { strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 5 } });
    assert.deepEqual(await sampling('other'), { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0.5 } });
    assert.equal((await fetch(`http://127.0.0.1:${viewer.ports.samplingPort}/sampling`)).status, 400);
    // our remote sampler reads every answer as the strategy the file describes
    assert.deepEqual(parseStrategy(await sampling('orders')), { type: 'per-operation', defaultSamplingProbability: 0.8, defaultLowerBoundTracesPerSecond: 0, perOperationStrategies: [{ operation: 'GET /health', samplingRate: 0 }] });
    assert.deepEqual(parseStrategy(await sampling('gateway')), { type: 'ratelimiting', maxTracesPerSecond: 5 });
  });

  it('re-reads the file when it changes, and keeps the last good one when it breaks', async () => {
    writeFileSync(strategies(), JSON.stringify({ default_strategy: { type: 'probabilistic', param: 0.1 } }));
    utimesSync(strategies(), new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(await sampling('other'), { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0.1 } });
    writeFileSync(strategies(), '{ not json');
    utimesSync(strategies(), new Date(), new Date(Date.now() + 10_000));
    assert.deepEqual(await sampling('other'), { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0.1 } });
  });
});
