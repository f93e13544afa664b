// RemoteSampler against a real local HTTP server standing in for Jaeger's sampling manager.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { AddressInfo } from 'node:net';
import { RemoteSampler } from '../../../src/sampling/remote.js';
import type { RemoteSamplerOptions } from '../../../src/sampling/remote.js';
import { ProbabilisticSampler } from '../../../src/sampling/probabilistic.js';
import { initTracer } from '../../../src/config/init.js';
import { InMemoryReporter } from '../../../src/reporting/memory.js';
import { isInternal } from '../../../src/tracer/internal-requests.js';
import { randomWord } from '../../../src/tracer/ids.js';
import { DOCUMENTS, MALFORMED } from './remote-documents.js';

const randomTrace = (): number[] => [randomWord(), randomWord(), randomWord(), randomWord()];

/** What the server answers: a status and body, or 'hang'. */
let answer: { status: number; body: string } | 'hang' = { status: 200, body: '{}' };
let requests: string[] = [];
let server: http.Server;
let port: number;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (answer === 'hang') return;
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, []);
});
beforeEach(() => {
  answer = { status: 200, body: '{}' };
  requests = [];
});

function serve(document: unknown): void {
  answer = { status: 200, body: JSON.stringify(document) };
}

const NEVER = new ProbabilisticSampler(0);

function sampler(options: Partial<RemoteSamplerOptions> = {}, warnings: string[] = []): RemoteSampler {
  return new RemoteSampler({
    serviceName: 'orders api',
    samplingUrl: `http://127.0.0.1:${port}/sampling`,
    refreshIntervalMs: 60_000,
    initialSampler: NEVER,
    logger: { warn: (m) => warnings.push(m) },
    firstPollDelayMs: 60_000,
    ...options,
  });
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('RemoteSampler', () => {
  test('asks for its service and applies a probabilistic strategy', async () => {
    const remote = sampler();
    assert.deepEqual(remote.isSampled('op', randomTrace()).tags, ['sampler.type', 'probabilistic', 'sampler.param', 0], 'initial sampler first');
    serve(DOCUMENTS.probabilisticLegacy);
    assert.equal(await remote.refresh(), true);
    assert.deepEqual(requests, ['/sampling?service=orders+api']);
    assert.deepEqual(remote.isSampled('op', randomTrace()), { sampled: true, tags: ['sampler.type', 'probabilistic', 'sampler.param', 1] });
    remote.close();
  });

  test('applies rate limiting and per-operation strategies', async () => {
    const remote = sampler();
    serve(DOCUMENTS.rateLimiting);
    await remote.refresh();
    assert.deepEqual(remote.isSampled('op', randomTrace()).tags, ['sampler.type', 'ratelimiting', 'sampler.param', 2]);
    serve(DOCUMENTS.perOperation);
    await remote.refresh();
    assert.deepEqual(remote.isSampled('POST /orders', randomTrace()), { sampled: true, tags: ['sampler.type', 'probabilistic', 'sampler.param', 1] });
    assert.deepEqual(remote.isSampled('GET /health', randomTrace()).tags, ['sampler.type', 'lowerbound', 'sampler.param', 0]);
    remote.close();
  });

  test('an unchanged answer keeps the sampler and its rate-limiter state', async () => {
    const remote = sampler();
    serve(DOCUMENTS.rateLimiting);
    await remote.refresh();
    const spent = [remote.isSampled('op', randomTrace()).sampled, remote.isSampled('op', randomTrace()).sampled];
    await remote.refresh();
    assert.deepEqual([...spent, remote.isSampled('op', randomTrace()).sampled], [true, true, false]);
    remote.close();
  });

  test('malformed documents leave the previous strategy in force', async () => {
    const warnings: string[] = [];
    const remote = sampler({}, warnings);
    serve(DOCUMENTS.probabilistic);
    assert.equal(await remote.refresh(), true);
    for (const [what, body] of MALFORMED) {
      answer = { status: 200, body };
      assert.equal(await remote.refresh(), false, what);
      assert.deepEqual(remote.isSampled('op', randomTrace()).tags, ['sampler.type', 'probabilistic', 'sampler.param', 0.25], what);
    }
    assert.ok(warnings.length > 0 && warnings.every((w) => /remote sampler: no strategy from http:\/\/127\.0\.0\.1:\d+\/sampling/.test(w)), warnings.join('\n'));
    remote.close();
  });

  test('non-200 answers and timeouts leave the previous strategy in force', async () => {
    const remote = sampler({ requestTimeoutMs: 100 });
    serve(DOCUMENTS.probabilisticLegacy);
    await remote.refresh();
    for (const status of [404, 500, 503]) {
      answer = { status, body: JSON.stringify(DOCUMENTS.rateLimiting) };
      assert.equal(await remote.refresh(), false, String(status));
    }
    answer = 'hang';
    const started = Date.now();
    assert.equal(await remote.refresh(), false);
    assert.ok(Date.now() - started < 1000);
    assert.equal(remote.isSampled('op', randomTrace()).sampled, true);
    remote.close();
  });

  test('a sampling manager that is down: the initial sampler applies, warned once', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const warnings: string[] = [];
    const remote = sampler({ samplingUrl: `http://127.0.0.1:${closedPort}/sampling` }, warnings);
    assert.equal(await remote.refresh(), false);
    assert.equal(await remote.refresh(), false);
    assert.equal(remote.isSampled('op', randomTrace()).sampled, false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /ECONNREFUSED/);
    remote.close();
  });

  test('polls soon after start, then every refresh interval; close() stops it', async () => {
    serve(DOCUMENTS.probabilisticLegacy);
    const remote = sampler({ firstPollDelayMs: 0, refreshIntervalMs: 30 });
    await until(() => requests.length >= 3);
    assert.equal(remote.isSampled('op', randomTrace()).sampled, true);
    remote.close();
    const seen = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.ok(requests.length <= seen + 1, 'no polling after close');
  });

  test('its requests use an agent marked internal', async () => {
    const agents: unknown[] = [];
    const onStart = (message: unknown): void => { agents.push((message as { request: { agent?: unknown } }).request.agent); };
    diagnosticsChannel.subscribe('http.client.request.start', onStart);
    const remote = sampler();
    try {
      await remote.refresh();
    } finally {
      diagnosticsChannel.unsubscribe('http.client.request.start', onStart);
      remote.close();
    }
    assert.equal(agents.length, 1);
    assert.equal(isInternal(agents[0]), true);
  });

  test('an invalid sampling URL never polls and never throws', () => {
    const warnings: string[] = [];
    const remote = sampler({ samplingUrl: 'http://bad host:5778/sampling' }, warnings);
    assert.equal(remote.isSampled('op', randomTrace()).sampled, false);
    assert.equal(warnings.length, 1);
    remote.close();
  });
});

describe('a tracer with sampler type remote', () => {
  test('root spans carry the tags of the strategy served', async () => {
    serve(DOCUMENTS.probabilisticLegacy);
    const reporter = new InMemoryReporter();
    const tracer = initTracer({
      serviceName: 'orders',
      global: false,
      sampler: { type: 'remote', param: 0, hostPort: `127.0.0.1:${port}`, refreshIntervalMs: 60_000 },
    }, { reporter });
    await until(() => {
      tracer.startSpan('probe').finish();
      return reporter.finishedSpans().length > 0;
    });
    assert.equal(requests[0], '/sampling?service=orders');
    const span = reporter.finishedSpans()[0]!;
    assert.equal(span.getTag('sampler.type'), 'probabilistic');
    assert.equal(span.getTag('sampler.param'), 1);
    await tracer.close();
  });
});
