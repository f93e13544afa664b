import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { layoutTrace } from '../../../src/viewer/trace-layout.js';
import { T0, makeSpan, traceId } from './span-fixture.js';

const t = traceId(1);

describe('layoutTrace', () => {
  it('keeps the critical path inside the root when a span of another process starts before its parent and ends after it', () => {
    const t = traceId(77);
    const root = makeSpan({ traceID: t, operationName: 'root', startTime: T0, duration: 100 });
    const skewed = makeSpan({ traceID: t, operationName: 'skewed', parentSpanID: root.spanID, startTime: T0 - 20, duration: 140 });
    const inner = makeSpan({ traceID: t, operationName: 'inner', parentSpanID: skewed.spanID, startTime: T0 - 10, duration: 30 });
    const layout = layoutTrace([root, skewed, inner]);
    const names = new Map([root, skewed, inner].map((span) => [span.spanID, span.operationName]));
    const path = layout.critical.map((seg) => [names.get(seg.spanID), seg.start - T0, seg.end - T0]);
    assert.deepEqual(path, [['inner', 0, 20], ['skewed', 20, 100]]);
    assert.equal(layout.critical.reduce((sum, seg) => sum + seg.end - seg.start, 0), 100);
  });

  it('orders rows depth first with children by start time, and finds the critical path', () => {
    // root 0..100; a 10..40; b 20..90 (ends last); b1 30..60 inside b; c 95..98 after b
    const root = makeSpan({ traceID: t, operationName: 'root', startTime: T0, duration: 100 });
    const b = makeSpan({ traceID: t, operationName: 'b', parentSpanID: root.spanID, startTime: T0 + 20, duration: 70 });
    const a = makeSpan({ traceID: t, operationName: 'a', parentSpanID: root.spanID, startTime: T0 + 10, duration: 30 });
    const b1 = makeSpan({ traceID: t, operationName: 'b1', parentSpanID: b.spanID, startTime: T0 + 30, duration: 30 });
    const c = makeSpan({ traceID: t, operationName: 'c', parentSpanID: root.spanID, startTime: T0 + 95, duration: 3 });
    const layout = layoutTrace([c, b1, b, a, root]);
    assert.deepEqual(layout.rows.map((r) => [r.span.operationName, r.depth]), [['root', 0], ['a', 1], ['b', 1], ['b1', 2], ['c', 1]]);
    assert.deepEqual(layout.rows.map((r) => r.parentRow), [-1, 0, 0, 2, 0]);
    const names = new Map([root, a, b, b1, c].map((s) => [s.spanID, s.operationName]));
    const path = layout.critical.map((seg) => [names.get(seg.spanID), seg.start - T0, seg.end - T0]);
    // From the end: root's own 98..100, c 95..98, root 90..95, b 60..90, b1 30..60, b 20..30, then a (10..20 of it), root 0..10
    assert.deepEqual(path, [['root', 0, 10], ['a', 10, 20], ['b', 20, 30], ['b1', 30, 60], ['b', 60, 90], ['root', 90, 95], ['c', 95, 98], ['root', 98, 100]]);
    assert.deepEqual([...layout.criticalSpans].map((id) => names.get(id)).sort(), ['a', 'b', 'b1', 'c', 'root']);
    const covered = layout.critical.reduce((sum, seg) => sum + seg.end - seg.start, 0);
    assert.equal(covered, 100, 'the path covers the whole trace');
  });

  it('keeps spans whose parent never arrived as roots, and survives a parent cycle and a 5 000-deep chain', () => {
    const orphan = makeSpan({ traceID: t, parentSpanID: 'ffffffffffffffff' });
    const x = makeSpan({ traceID: t });
    const y = makeSpan({ traceID: t, parentSpanID: x.spanID });
    x.parentSpanID = y.spanID; // cycle
    const layout = layoutTrace([orphan, x, y]);
    assert.equal(layout.rows[0]!.span, orphan);
    assert.equal(layout.rows.length, 1, 'a closed cycle has no root to hang from');
    const chain = [makeSpan({ traceID: t, duration: 10_000 })];
    for (let i = 1; i < 5000; i++) chain.push(makeSpan({ traceID: t, parentSpanID: chain[i - 1]!.spanID, startTime: T0 + i, duration: 10_000 - 2 * i }));
    const deep = layoutTrace(chain);
    assert.equal(deep.rows.length, 5000);
    assert.equal(deep.rows[4999]!.depth, 4999);
    assert.equal(deep.criticalSpans.size, 5000);
  });
});
