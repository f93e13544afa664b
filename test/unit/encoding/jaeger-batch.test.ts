import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryAgentFormat, collectorBatchFormat, compactAgentFormat } from '../../../src/encoding/jaeger-envelopes.js';
import { packSpans } from '../../../src/encoding/jaeger-batch.js';
import type { EncodedBatch } from '../../../src/encoding/jaeger-batch.js';
import { ThriftSink } from '../../../src/encoding/thrift-sink.js';
import { writeBinarySpan } from '../../../src/encoding/jaeger-binary.js';
import { writeCompactSpan } from '../../../src/encoding/jaeger-compact.js';
import type { FinishedSpan } from '../../../src/tracer/finished-span.js';
import { ascii, fixedSpan, hex } from './span-records.js';

const whole = (batch: EncodedBatch): Buffer => Buffer.concat(batch.parts);

function spanBytes(write: (sink: ThriftSink, span: FinishedSpan) => void, span: FinishedSpan): string {
  const sink = new ThriftSink(64);
  write(sink, span);
  return hex(sink.buf.subarray(0, sink.off));
}

describe('envelopes', () => {
  const span = fixedSpan({ tags: { k: 'v' } });

  test('compact Agent.emitBatch: oneway message, batch argument, process, span list', () => {
    const [batch] = packSpans(compactAgentFormat('s', {}), [span], 65_000).batches;
    assert.equal(hex(whole(batch!)),
      '82' + '81' + '00' + '09' + ascii('emitBatch') + // protocol id, version 1 | ONEWAY << 5, seqid 0, name
      '1c' + '1c' + '1801' + ascii('s') + '00' + // arg 1 batch { process { serviceName } }
      '19' + '1c' + spanBytes(writeCompactSpan, span) + // spans: list of one struct
      '00' + '00'); // stops of Batch and of the arguments
    assert.equal(batch!.byteLength, whole(batch!).length);
  });

  test('binary Agent.emitBatch: strict oneway header, then the same structs', () => {
    const [batch] = packSpans(binaryAgentFormat('s', {}), [span], 65_000).batches;
    assert.equal(hex(whole(batch!)),
      '80010004' + '00000009' + ascii('emitBatch') + '00000000' +
      '0c0001' + '0c0001' + '0b0001' + '00000001' + ascii('s') + '00' +
      '0f0002' + '0c' + '00000001' + spanBytes(writeBinarySpan, span) + '00' + '00');
  });

  test('collector body: a bare binary Batch struct', () => {
    const [batch] = packSpans(collectorBatchFormat('s', {}), [span], 4_000_000).batches;
    assert.equal(hex(whole(batch!)),
      '0c0001' + '0b0001' + '00000001' + ascii('s') + '00' +
      '0f0002' + '0c' + '00000001' + spanBytes(writeBinarySpan, span) + '00');
  });

  test('fifteen spans and more use the long list header', () => {
    const spans = Array.from({ length: 20 }, () => span);
    const [batch] = packSpans(compactAgentFormat('s', {}), spans, 65_000).batches;
    const head = hex(batch!.parts[0]!);
    assert.ok(head.endsWith('19' + 'fc' + '14'), head);
    assert.equal(batch!.spanCount, 20);
  });
});

describe('packSpans', () => {
  const format = compactAgentFormat('svc', { hostname: 'host' });
  const spans = Array.from({ length: 300 }, (_, i) => fixedSpan({ spanId: [0, i + 1], tags: { index: i, text: 'x'.repeat(i % 50) } }));

  test('cuts a run of spans into batches of at most maxBytes, in order, none lost', () => {
    const maxBytes = 2048;
    const { batches, droppedTooLarge, failed } = packSpans(format, spans, maxBytes);
    assert.equal(droppedTooLarge, 0);
    assert.equal(failed, 0);
    assert.ok(batches.length > 5, `${batches.length} batches`);
    assert.equal(batches.reduce((n, b) => n + b.spanCount, 0), spans.length);
    let expected = '';
    let actual = '';
    for (const [i, batch] of batches.entries()) {
      assert.ok(batch.byteLength <= maxBytes, `batch ${i}: ${batch.byteLength} bytes`);
      assert.equal(batch.byteLength, whole(batch).length);
      actual += hex(batch.parts[1]!);
    }
    for (const span of spans) expected += spanBytes(writeCompactSpan, span);
    assert.equal(actual, expected, 'span bytes in order, each exactly once');
  });

  test('fills each batch: the next span would not have fitted', () => {
    const maxBytes = 2048;
    const { batches } = packSpans(format, spans, maxBytes);
    let next = 0;
    for (const batch of batches.slice(0, -1)) {
      next += batch.spanCount;
      const following = spanBytes(writeCompactSpan, spans[next]!).length / 2;
      const headGrowth = format.headLength(batch.spanCount + 1) - format.headLength(batch.spanCount);
      assert.ok(batch.byteLength + headGrowth + following > maxBytes, `room left for span ${next}`);
    }
  });

  test('a span too large for any batch is dropped and counted; its neighbours go out', () => {
    const huge = fixedSpan({ spanId: [0, 999], tags: { blob: 'b'.repeat(5000) } });
    const { batches, droppedTooLarge } = packSpans(format, [spans[0]!, huge, spans[1]!], 2048);
    assert.equal(droppedTooLarge, 1);
    assert.deepEqual(batches.map((b) => b.spanCount), [2]);
    assert.equal(hex(batches[0]!.parts[1]!), spanBytes(writeCompactSpan, spans[0]!) + spanBytes(writeCompactSpan, spans[1]!));
  });

  test('a span that exactly fits alone is kept; one byte more is dropped', () => {
    const one = fixedSpan({ tags: { k: 'v' } });
    const exact = packSpans(format, [one], 65_000).batches[0]!.byteLength;
    assert.equal(packSpans(format, [one], exact).droppedTooLarge, 0);
    assert.equal(packSpans(format, [one], exact - 1).droppedTooLarge, 1);
  });

  test('a span the encoder fails on is counted as failed, never thrown; the others go out', () => {
    const broken = { context() { throw new Error('not a span'); } } as unknown as FinishedSpan;
    const { batches, failed } = packSpans(format, [spans[0]!, broken, spans[1]!], 65_000);
    assert.equal(failed, 1);
    assert.equal(hex(batches[0]!.parts[1]!), spanBytes(writeCompactSpan, spans[0]!) + spanBytes(writeCompactSpan, spans[1]!));
  });

  test('no spans: no batches', () => {
    assert.deepEqual(packSpans(format, [], 65_000), { batches: [], droppedTooLarge: 0, failed: 0 });
  });
});
