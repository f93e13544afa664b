// When the agent or collector is down: spans are dropped and counted, the app is unaffected,
// nothing rejects, memory stays flat, and the tracer's timers never keep a process alive.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { initTracer } from '../../src/config/init.js';
import type { ExporterName } from '../../src/config/options.js';
import { refusingPort } from '../support/http-collector.js';
import { runNode } from '../support/run-node.js';

const quiet = { warn: () => {}, error: () => {} };
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
let closedPort: number;

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  closedPort = await refusingPort();
});
after(() => {
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'no unhandled rejections');
});

function reporterTo(exporter: ExporterName, port: number): Record<string, unknown> {
  return {
    exporter,
    agentHost: '127.0.0.1',
    agentPort: port,
    collectorEndpoint: `http://127.0.0.1:${port}/api/traces`,
    otlpEndpoint: `http://127.0.0.1:${port}/v1/traces`,
    flushIntervalMs: 20,
  };
}

describe('agent or collector down', () => {
  for (const exporter of ['otlp', 'otlp-json', 'jaeger-http', 'jaeger-udp'] as const) {
    test(`${exporter}: the app is unaffected, spans are counted as failed, flush and close resolve`, async () => {
      const tracer = initTracer({ serviceName: 'app', global: false, reporter: reporterTo(exporter, closedPort) }, { logger: quiet });
      let answers = 0;
      for (let round = 0; round < 6; round++) {
        const value = await tracer.startActiveSpan('request', async () => {
          for (let i = 0; i < 500; i++) tracer.startSpan('step').finish();
          return 42;
        });
        answers += value === 42 ? 1 : 0;
        await nextTurn();
      }
      assert.equal(answers, 6, 'the app got its results');
      await tracer.flush();
      const started = Date.now();
      await tracer.close();
      assert.ok(Date.now() - started < 8000, 'close() is bounded');
      const stats = tracer.stats();
      assert.equal(stats.spansFinished, 6 * 501);
      assert.equal(stats['reported']! + stats['sendFailures']! + stats['droppedQueueFull']! + stats['queued']!, stats.spansFinished, JSON.stringify(stats));
      if (exporter === 'jaeger-udp') {
        assert.ok(stats['sendFailures']! > 0, 'the closed port is noticed (ICMP port unreachable on loopback)');
      } else {
        assert.equal(stats['reported'], 0);
        assert.ok(stats['sendFailures']! > 0);
      }
    });
  }

  for (const exporter of ['jaeger-http', 'otlp'] as const) {
    test(`${exporter}: close() with ten batches queued takes well under its 5 s bound`, async () => {
      const tracer = initTracer({ serviceName: 'app', global: false, reporter: { ...reporterTo(exporter, closedPort), flushIntervalMs: 60_000 } }, { logger: quiet });
      for (let i = 0; i < 10_000; i++) tracer.startSpan('step').finish();
      const started = Date.now();
      await tracer.close();
      const elapsed = Date.now() - started;
      // Only the first batch is retried: later ones get one attempt each while the endpoint is known down.
      assert.ok(elapsed < 3000, `close() took ${elapsed} ms`);
      assert.equal(tracer.stats()['sendFailures'], 10_000);
    });
  }

  test('a full queue drops and counts; after close, spans are dropped silently', async () => {
    const tracer = initTracer({ serviceName: 'app', global: false, reporter: { ...reporterTo('otlp', closedPort), maxQueueSize: 100, flushIntervalMs: 60_000 } }, { logger: quiet });
    for (let i = 0; i < 250; i++) tracer.startSpan('burst').finish();
    assert.equal(tracer.stats()['droppedQueueFull'], 150);
    await tracer.close();
    const closed = tracer.stats();
    tracer.startSpan('late').finish();
    await tracer.flush();
    await tracer.close();
    const { spansStarted: _s, spansSampled: _p, spansFinished: _f, ...reporterAfter } = tracer.stats();
    const { spansStarted: _s2, spansSampled: _p2, spansFinished: _f2, ...reporterBefore } = closed;
    assert.deepEqual(reporterAfter, reporterBefore);
  });
});

const HEAP_APP = (exporter: ExporterName, port: number): string => `
import { setImmediate as nextTurn } from 'node:timers/promises';
import { initTracer } from './src/config/init.ts';
const unhandled = [];
process.on('unhandledRejection', (reason) => unhandled.push(String(reason)));
const tracer = initTracer({ serviceName: 'down', global: false, reporter: ${JSON.stringify(reporterTo(exporter, port))} }, { logger: { warn() {}, error() {} } });
globalThis.gc(); globalThis.gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < 200000; i += 1000) {
  for (let j = i; j < i + 1000; j++) {
    const span = tracer.startSpan('GET /orders/:id', { tags: { 'span.kind': 'server', 'http.method': 'GET', 'http.url': '/orders/' + j, 'http.status_code': 200 } });
    span.log({ event: 'cache miss', key: 'order:' + j });
    span.finish();
  }
  await nextTurn();
}
globalThis.gc(); globalThis.gc();
const growth = process.memoryUsage().heapUsed - before;
// close() with the collector down is tested above; here it would only wait out the retries.
process.stdout.write(JSON.stringify({ growth, stats: tracer.stats(), unhandled }), () => process.exit(0));
`;

describe('memory with the collector down', () => {
  for (const exporter of ['otlp', 'jaeger-http'] as const) {
    test(`${exporter}: 200 000 spans grow the heap by less than 20 MB`, { timeout: 60_000 }, async () => {
      const { code, stdout, stderr } = await runNode(HEAP_APP(exporter, closedPort), { nodeFlags: ['--expose-gc'] });
      assert.equal(code, 0, stderr);
      const { growth, stats, unhandled: childUnhandled } = JSON.parse(stdout) as { growth: number; stats: Record<string, number>; unhandled: string[] };
      assert.ok(growth < 20 * 1024 * 1024, `heap grew by ${(growth / 1048576).toFixed(1)} MB`);
      // How many are dropped rather than failed depends on how fast failures come back; every span is one or the other.
      assert.equal(stats['droppedQueueFull']! + stats['sendFailures']! + stats['queued']!, 200_000, JSON.stringify(stats));
      assert.ok(stats['queued']! <= 11_000, `the queue stayed bounded (maxQueueSize + one batch): ${JSON.stringify(stats)}`);
      assert.equal(stats['reported'], 0);
      assert.deepEqual(childUnhandled, []);
    });
  }
});

describe('timers and sockets never hold the process open', () => {
  test('an app that never calls close() exits by itself, whatever the exporter and sampler', { timeout: 60_000 }, async () => {
    const code = `
import { initTracer } from './src/config/init.ts';
const reporters = ${JSON.stringify((['jaeger-udp', 'jaeger-udp-binary', 'jaeger-http', 'otlp', 'console'] as const).map((e) => reporterTo(e, closedPort)))};
for (const reporter of reporters) {
  const tracer = initTracer({
    serviceName: 'short-lived', global: false, reporter: { ...reporter, flushIntervalMs: 1000 },
    sampler: { type: 'remote', hostPort: '127.0.0.1:${closedPort}', refreshIntervalMs: 1000 },
  }, { logger: { warn() {}, error() {} } });
  for (let i = 0; i < 1500; i++) tracer.startSpan('work').finish();
}
console.log('done');
`;
    const { code: exitCode, stdout, stderr, ms } = await runNode(code);
    assert.equal(exitCode, 0, stderr);
    assert.equal(stdout.trim().split('\n').at(-1), 'done');
    assert.ok(ms < 15_000, `exited after ${ms} ms`);
  });
});
