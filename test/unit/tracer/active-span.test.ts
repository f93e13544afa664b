import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { createServer, connect } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestTracer } from '../../../src/testing/index.js';
import type { Span } from '../../../src/tracer/span.js';

describe('startActiveSpan', () => {
  test('returns what fn returns and finishes the span when fn returns', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const value = tracer.startActiveSpan('sync', (span) => {
      assert.equal(tracer.activeSpan(), span);
      assert.equal(finishedSpans().length, 0);
      return { answer: 42 };
    });
    assert.deepEqual(value, { answer: 42 });
    assert.equal(finishedSpans().length, 1);
    assert.equal(tracer.activeSpan(), null);
  });

  test('takes options as the middle argument', () => {
    const { tracer, finishedSpans } = createTestTracer();
    tracer.startActiveSpan('with options', { tags: { k: 'v' } }, () => undefined);
    assert.equal(finishedSpans()[0]!.tags['k'], 'v');
  });

  test('finishes when the promise settles, and resolves to the same value', async () => {
    const { tracer, finishedSpans } = createTestTracer();
    const promise = tracer.startActiveSpan('async', async () => {
      await sleep(5);
      return 'done';
    });
    assert.equal(finishedSpans().length, 0);
    assert.equal(await promise, 'done');
    const [record] = finishedSpans();
    assert.ok(record!.duration >= 4000, `duration ${record!.duration}µs covers the await`);
  });

  test('a synchronous throw is recorded and the same error rethrown', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const error = new TypeError('bad input');
    assert.throws(() => tracer.startActiveSpan('throws', () => { throw error; }), (e) => e === error);
    const [record] = finishedSpans();
    assert.equal(record!.tags['error'], true);
    const fields = record!.logs[0]!.fields;
    assert.equal(fields['event'], 'error');
    assert.equal(fields['error.object'], 'TypeError: bad input', 'recorded as text: the span does not keep the error alive');
    assert.equal(fields['error.kind'], 'TypeError');
    assert.equal(fields['message'], 'bad input');
    assert.equal(fields['stack'], error.stack);
  });

  test('a rejection is recorded and the same reason passed on', async () => {
    const { tracer, finishedSpans } = createTestTracer();
    const reason = new Error('nope');
    await assert.rejects(tracer.startActiveSpan('rejects', async () => { await sleep(1); throw reason; }), (e) => e === reason);
    assert.equal(finishedSpans()[0]!.tags['error'], true);
    await assert.rejects(tracer.startActiveSpan('rejects a string', () => Promise.reject('plain')), (e) => e === 'plain');
    assert.equal(finishedSpans()[1]!.logs[0]!.fields['message'], 'plain');
  });

  test('nested active spans form a tree and restore the outer span', async () => {
    const { tracer, finishedSpans } = createTestTracer();
    await tracer.startActiveSpan('outer', async (outer) => {
      await tracer.startActiveSpan('inner', async (inner) => {
        assert.equal(inner.context().parentSpanId(), outer.context().toSpanId());
        await sleep(1);
      });
      assert.equal(tracer.activeSpan(), outer);
    });
    assert.deepEqual(finishedSpans().map((s) => s.operationName), ['inner', 'outer']);
  });

  test('withSpan makes a span active without finishing it; null clears the active span', () => {
    const { tracer, finishedSpans } = createTestTracer();
    const span = tracer.startSpan('manual');
    const seen = tracer.withSpan(span, () => tracer.activeSpan());
    assert.equal(seen, span);
    assert.equal(finishedSpans().length, 0);
    tracer.startActiveSpan('outer', () => {
      assert.equal(tracer.withSpan(null, () => tracer.activeSpan()), null);
    });
  });
});

describe('the active span survives async boundaries', () => {
  test('await, promise chains, timers, immediates and nextTick', async () => {
    const { tracer } = createTestTracer();
    await tracer.startActiveSpan('root', async (span) => {
      await sleep(1);
      assert.equal(tracer.activeSpan(), span);
      await Promise.resolve().then(() => assert.equal(tracer.activeSpan(), span));
      await new Promise<void>((resolve) => setTimeout(() => { assert.equal(tracer.activeSpan(), span); resolve(); }, 1));
      await new Promise<void>((resolve) => setImmediate(() => { assert.equal(tracer.activeSpan(), span); resolve(); }));
      await new Promise<void>((resolve) => process.nextTick(() => { assert.equal(tracer.activeSpan(), span); resolve(); }));
      await new Promise<void>((resolve) => queueMicrotask(() => { assert.equal(tracer.activeSpan(), span); resolve(); }));
    });
    assert.equal(tracer.activeSpan(), null);
  });

  test('listeners of an EventEmitter created inside the span, emitted later from a timer', async () => {
    const { tracer } = createTestTracer();
    const seen: (Span | null)[] = [];
    let expected: Span | null = null;
    const emitter = tracer.startActiveSpan('root', (span) => {
      expected = span;
      const ee = new EventEmitter();
      ee.on('tick', () => seen.push(tracer.activeSpan()));
      setTimeout(() => ee.emit('tick'), 2);
      return ee;
    });
    await once(emitter, 'tick');
    assert.deepEqual(seen, [expected]);
  });

  test('stream and socket callbacks of resources created inside the span', async () => {
    const { tracer } = createTestTracer();
    const server = createServer((socket) => socket.end('hello'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      await tracer.startActiveSpan('io', async (span) => {
        const chunks: (Span | null)[] = [];
        const socket = connect(port, '127.0.0.1');
        socket.on('data', () => chunks.push(tracer.activeSpan()));
        await once(socket, 'end');
        assert.ok(chunks.length > 0);
        assert.ok(chunks.every((s) => s === span));
        const readable = Readable.from(['a', 'b']);
        for await (const _ of readable) assert.equal(tracer.activeSpan(), span);
      });
    } finally {
      server.close();
    }
  });

  test('1000 interleaved concurrent tasks never see each other\'s span', async () => {
    const { tracer, finishedSpans } = createTestTracer();
    let violations = 0;
    const task = (i: number): Promise<void> =>
      tracer.startActiveSpan(`task-${i}`, async (span) => {
        for (let step = 0; step < 5; step++) {
          const pause = Math.floor(Math.random() * 4);
          if (pause === 0) await Promise.resolve();
          else if (pause === 1) await new Promise((r) => setImmediate(r));
          else await sleep(Math.random() * 3);
          if (tracer.activeSpan() !== span) violations++;
          // a child started here must hang under this task's span
          const child = tracer.startSpan(`task-${i}-step-${step}`);
          if (child.context().parentSpanId() !== span.context().toSpanId()) violations++;
          child.finish();
        }
      });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => task(i)));
    assert.equal(violations, 0);
    const records = finishedSpans();
    assert.equal(records.length, 6000);
    const byName = new Map(records.map((r) => [r.operationName, r]));
    for (const record of records) {
      const match = /^(task-\d+)-step-\d$/.exec(record.operationName);
      if (match !== null) assert.equal(record.parentSpanId, byName.get(match[1]!)!.spanId);
    }
    assert.equal(tracer.activeSpan(), null);
  });
});
