import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TraceStore } from '../../../src/viewer/store.js';
import { spanBytes } from '../../../src/viewer/model.js';
import { makeSpan, traceId } from './span-fixture.js';

describe('TraceStore', () => {
  it('merges spans of one trace arriving in several batches and keeps a span sent twice once', () => {
    const store = new TraceStore({ maxSpans: 100, maxBytes: 1e9 });
    const a = makeSpan({ traceID: traceId(1) });
    const b = makeSpan({ traceID: traceId(1), parentSpanID: a.spanID, process: { serviceName: 'other', tags: [] } });
    assert.equal(store.add([a]), 1);
    assert.equal(store.add([b, a]), 1);
    assert.equal(store.get(traceId(1))!.spans.length, 2);
    assert.equal(store.spanCount, 2);
    assert.equal(store.duplicateSpans, 1);
  });

  it('evicts whole traces, oldest first, past the span limit', () => {
    const store = new TraceStore({ maxSpans: 5, maxBytes: 1e9 });
    for (let n = 1; n <= 4; n++) store.add([makeSpan({ traceID: traceId(n) }), makeSpan({ traceID: traceId(n) })]);
    assert.equal(store.spanCount, 4);
    assert.deepEqual([...store.all()].map((t) => t.traceID), [traceId(3), traceId(4)]);
    assert.equal(store.evictedTraces, 2);
  });

  it('evicts past the byte limit, counting bytes back out', () => {
    const big = (n: number) => makeSpan({ traceID: traceId(n), tags: [{ key: 'payload', type: 'string', value: 'x'.repeat(10_000) }] });
    const one = spanBytes(big(0));
    const store = new TraceStore({ maxSpans: 1000, maxBytes: one * 3 });
    for (let n = 1; n <= 10; n++) store.add([big(n)]);
    assert.equal(store.traceCount, 3);
    assert.ok(store.bytes <= one * 3);
    assert.deepEqual([...store.all()].map((t) => t.traceID), [traceId(8), traceId(9), traceId(10)]);
  });
});
