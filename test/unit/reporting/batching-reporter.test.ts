import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { initTracer } from '../../../src/config/init.js';
import { BatchingReporter } from '../../../src/reporting/batching-reporter.js';
import type { BatchingReporterOptions } from '../../../src/reporting/batching-reporter.js';
import type { Exporter, ExportResult } from '../../../src/reporting/exporter.js';
import type { Span } from '../../../src/tracer/span.js';

const quiet = { warn: () => {}, error: () => {} };

/** A real exporter that records batches and answers as told (after an optional wait). */
class RecordingExporter implements Exporter {
  batches: (readonly Span[])[] = [];
  running = 0;
  maxRunning = 0;
  shutdowns = 0;
  answer: (spans: readonly Span[]) => Promise<ExportResult> = async (spans) => ({ sent: spans.length, droppedTooLarge: 0, failed: 0 });

  async export(spans: readonly Span[]): Promise<ExportResult> {
    this.batches.push(spans);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      return await this.answer(spans);
    } finally {
      this.running--;
    }
  }

  async shutdown(): Promise<void> {
    this.shutdowns++;
  }

  get spanCount(): number {
    return this.batches.reduce((n, batch) => n + batch.length, 0);
  }
}

function setup(options: Partial<BatchingReporterOptions> = {}): { exporter: RecordingExporter; reporter: BatchingReporter; finish(n: number): void } {
  const exporter = new RecordingExporter();
  const reporter = new BatchingReporter(exporter, { flushIntervalMs: 60_000, logger: quiet, ...options });
  const tracer = initTracer({ serviceName: 'unit', global: false }, { reporter, logger: quiet });
  return { exporter, reporter, finish: (n) => { for (let i = 0; i < n; i++) tracer.startSpan(`op-${i}`).finish(); } };
}

describe('BatchingReporter', () => {
  test('finishing a span only enqueues it: nothing is exported on the caller\'s stack', async (t) => {
    const { exporter, reporter, finish } = setup({ batchSize: 10 });
    t.after(() => reporter.close());
    finish(10);
    assert.equal(exporter.batches.length, 0);
    assert.equal(reporter.stats().queued, 10);
    await tick();
    await tick();
    assert.equal(exporter.spanCount, 10, 'a full batch is flushed on the next turn of the loop');
  });

  test('fewer than a batch wait for the flush interval', async (t) => {
    const { exporter, reporter, finish } = setup({ batchSize: 100, flushIntervalMs: 30 });
    t.after(() => reporter.close());
    finish(3);
    await tick();
    assert.equal(exporter.batches.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(exporter.spanCount, 3);
  });

  test('a full queue drops new spans and counts them', async (t) => {
    const { reporter, finish } = setup({ maxQueueSize: 10, batchSize: 100 });
    t.after(() => reporter.close());
    finish(15);
    assert.deepEqual(reporter.stats(), { reported: 0, droppedQueueFull: 5, droppedTooLarge: 0, sendFailures: 0, queued: 10 });
  });

  test('flush() sends everything in batches of batchSize and resolves after the exporter settles', async (t) => {
    const { exporter, reporter, finish } = setup({ batchSize: 4 });
    t.after(() => reporter.close());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    exporter.answer = async (spans) => { await gate; return { sent: spans.length, droppedTooLarge: 0, failed: 0 }; };
    finish(10);
    let flushed = false;
    const flushing = reporter.flush().then(() => { flushed = true; });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(flushed, false, 'still waiting for the exporter');
    assert.equal(reporter.stats().queued, 10);
    release();
    await flushing;
    assert.deepEqual(exporter.batches.map((b) => b.length), [4, 4, 2]);
    assert.deepEqual(reporter.stats(), { reported: 10, droppedQueueFull: 0, droppedTooLarge: 0, sendFailures: 0, queued: 0 });
  });

  test('one export at a time; spans queued during a send go out with the next flush', async (t) => {
    const { exporter, reporter, finish } = setup({ batchSize: 5 });
    t.after(() => reporter.close());
    exporter.answer = async (spans) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { sent: spans.length, droppedTooLarge: 0, failed: 0 };
    };
    finish(5);
    const first = reporter.flush();
    await tick();
    finish(7);
    const second = reporter.flush();
    const third = reporter.flush();
    await Promise.all([first, second, third]);
    assert.equal(exporter.maxRunning, 1);
    assert.equal(exporter.spanCount, 12);
    assert.equal(reporter.stats().reported, 12);
  });

  test('exporter results are counted; a throwing or rejecting exporter counts failures and never rejects', async (t) => {
    const { exporter, reporter, finish } = setup({ batchSize: 100 });
    t.after(() => reporter.close());
    exporter.answer = async () => ({ sent: 3, droppedTooLarge: 1, failed: 2 });
    finish(6);
    await reporter.flush();
    exporter.answer = () => Promise.reject(new Error('boom'));
    finish(4);
    await reporter.flush();
    exporter.answer = () => { throw new Error('sync boom'); };
    finish(5);
    await reporter.flush();
    assert.deepEqual(reporter.stats(), { reported: 3, droppedQueueFull: 0, droppedTooLarge: 1, sendFailures: 11, queued: 0 });
  });

  test('close() flushes, shuts the exporter down once, then drops new spans silently', async () => {
    const { exporter, reporter, finish } = setup({ batchSize: 100 });
    finish(7);
    const closing = reporter.close();
    assert.equal(reporter.close(), closing);
    await closing;
    assert.equal(exporter.spanCount, 7);
    assert.equal(exporter.shutdowns, 1);
    reporter.report(exporter.batches[0]![0]!);
    await reporter.flush();
    assert.deepEqual(reporter.stats(), { reported: 7, droppedQueueFull: 0, droppedTooLarge: 0, sendFailures: 0, queued: 0 });
  });

  test('close() and flush() are bounded when the exporter never answers', async () => {
    const { exporter, reporter, finish } = setup({ batchSize: 100, closeTimeoutMs: 50 });
    exporter.answer = () => new Promise<ExportResult>(() => {});
    exporter.shutdown = () => new Promise<void>(() => {});
    finish(3);
    const started = Date.now();
    await reporter.flush();
    await reporter.close();
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    assert.equal(reporter.stats().queued, 3, 'the stuck spans are still accounted for');
  });
});
