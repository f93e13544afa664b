import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../../src/config/resolve.js';
import type { TracingConfig } from '../../../src/config/options.js';
import { initTracer } from '../../../src/config/init.js';
import { createReporter } from '../../../src/reporting/index.js';
import { BatchingReporter } from '../../../src/reporting/batching-reporter.js';
import { NoneReporter } from '../../../src/reporting/none.js';
import { startHttpCollector } from '../../support/http-collector.js';

const context = { serviceName: 'svc', processTags: {}, logger: {} };

function reporterFor(reporter: TracingConfig['reporter']): ReturnType<typeof createReporter> {
  return createReporter(resolveConfig({ reporter }).reporter, context);
}

/** Runs `fn` with process.stderr.write captured. */
async function captureStderr(fn: () => Promise<void>): Promise<string> {
  const original = process.stderr.write;
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = original;
  }
  return text;
}

describe('createReporter', () => {
  test('exporter none reports nothing and keeps no queue or timer', async () => {
    const reporter = reporterFor({ exporter: 'none' });
    assert.ok(reporter instanceof NoneReporter);
    await reporter.close();
  });

  test('network exporters sit behind the batching queue', async () => {
    for (const exporter of ['jaeger-udp', 'jaeger-udp-binary', 'jaeger-http', 'otlp', 'otlp-json', 'console'] as const) {
      const reporter = reporterFor({ exporter, collectorEndpoint: 'http://127.0.0.1:9/api/traces' });
      assert.ok(reporter instanceof BatchingReporter, exporter);
      assert.deepEqual(reporter.stats?.(), { reported: 0, droppedQueueFull: 0, droppedTooLarge: 0, sendFailures: 0, queued: 0 });
      await reporter.close();
    }
  });

  test('maxQueueSize from the config bounds the queue', async () => {
    const tracer = initTracer({ serviceName: 'svc', global: false, reporter: { exporter: 'console', maxQueueSize: 2 } });
    const printed = await captureStderr(async () => {
      for (let i = 0; i < 5; i++) tracer.startSpan(`op-${i}`).finish();
      assert.equal(tracer.stats()['droppedQueueFull'], 3);
      await tracer.close();
    });
    assert.equal(printed.match(/^trace /gm)?.length, 2);
  });

  test('exporter console prints trace trees to stderr', async () => {
    const tracer = initTracer({ serviceName: 'svc', global: false, reporter: { exporter: 'console' } });
    const printed = await captureStderr(async () => {
      tracer.startActiveSpan('outer', () => tracer.startSpan('inner').finish());
      await tracer.close();
    });
    assert.match(printed, /^trace [0-9a-f]{32} · svc · 2 spans · /);
    assert.match(printed, /\n {2}outer +\|.*\n {4}inner +\|/);
    assert.equal(tracer.stats()['reported'], 2);
  });

  test('logSpans adds console output to another exporter (here none)', async () => {
    const tracer = initTracer({ serviceName: 'svc', global: false, reporter: { exporter: 'none', logSpans: true } });
    const printed = await captureStderr(async () => {
      tracer.startSpan('logged').finish();
      await tracer.close();
    });
    assert.match(printed, /\n {2}logged +\|/);
  });

  test('a list of exporters: each gets every span (OTEL_TRACES_EXPORTER=otlp,console)', async () => {
    const collector = await startHttpCollector(200);
    try {
      const tracer = initTracer({ serviceName: 'svc', global: false,
        reporter: { exporter: ['otlp', 'console'], otlpEndpoint: `${collector.origin}/v1/traces` } });
      const printed = await captureStderr(async () => {
        tracer.startSpan('both').finish();
        await tracer.close();
      });
      assert.match(printed, /\n {2}both +\|/);
      assert.equal(collector.received.length, 1);
      assert.equal(collector.received[0]!.url, '/v1/traces');
      assert.ok(collector.received[0]!.body.includes(Buffer.from('both')));
      assert.equal(tracer.stats()['reported'], 1);
    } finally {
      await collector.close();
    }
  });
});
