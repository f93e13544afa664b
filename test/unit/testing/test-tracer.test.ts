import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTracer } from '../../../src/testing/index.js';
import { globalTracer } from '../../../src/tracer/global.js';

test('finishedSpans returns plain records in finish order, and reset forgets them', async () => {
  const before = globalTracer();
  const { tracer, finishedSpans, reset } = createTestTracer();
  assert.equal(globalTracer(), before, 'the test tracer is not made global');
  await tracer.startActiveSpan('parent', async (parent) => {
    parent.setBaggageItem('k', 'v');
    tracer.startSpan('child').finish();
  });
  const [child, parent] = finishedSpans();
  assert.deepEqual(Object.keys(child!).sort(), [
    'baggage', 'duration', 'logs', 'operationName', 'parentSpanId', 'references', 'sampled', 'spanId', 'startTime', 'tags', 'traceId',
  ]);
  assert.equal(child!.operationName, 'child');
  assert.equal(child!.parentSpanId, parent!.spanId);
  assert.equal(child!.traceId, parent!.traceId);
  assert.deepEqual(child!.baggage, { k: 'v' });
  assert.equal(parent!.parentSpanId, null);
  assert.equal(typeof parent!.duration, 'number');
  assert.equal(parent!.sampled, true, 'the test tracer samples everything by default');
  reset();
  assert.deepEqual(finishedSpans(), []);
});
