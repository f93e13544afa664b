// Our compact-Thrift datagrams, sent by the real exporter over a real UDP socket, decoded by the
// Apache `thrift` package's TCompactProtocol.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { JaegerUdpExporter } from '../../src/reporting/jaeger-udp.js';
import { compactRunsBuilt } from '../../src/encoding/jaeger-compact.js';
import { ThriftSink } from '../../src/encoding/thrift-sink.js';
import { writeCompactSpan } from '../../src/encoding/jaeger-compact.js';
import type { Span } from '../../src/tracer/span.js';
import { startUdpReceiver } from '../support/udp-receiver.js';
import type { UdpReceiver } from '../support/udp-receiver.js';
import { decodeCompactEmitBatch } from './jaeger-thrift-decode.js';
import { assertRichBatch, assertSpanHeader, collectingTracer, exporterContext, richSpans, tag } from './jaeger-fixture.js';

let receiver: UdpReceiver;
before(async () => {
  receiver = await startUdpReceiver();
});
after(() => receiver.close());

function exporterTo(port: number, maxPacketSize = 65_000): JaegerUdpExporter {
  return new JaegerUdpExporter({ host: '127.0.0.1', port, maxPacketSize, protocol: 'compact' }, exporterContext());
}

const spanCounts = new WeakMap<Buffer, number>();
/** Spans in the datagrams received so far (each datagram decoded once). */
function spansReceived(datagrams: readonly Buffer[]): number {
  let total = 0;
  for (const d of datagrams) {
    let count = spanCounts.get(d);
    if (count === undefined) spanCounts.set(d, (count = decodeCompactEmitBatch(d).batch.spans.length));
    total += count;
  }
  return total;
}

function manySpans(count: number): Span[] {
  const { tracer, spans } = collectingTracer();
  for (let i = 0; i < count; i++) {
    tracer.startActiveSpan('GET /items/:id', { tags: { 'span.kind': 'server', 'http.method': 'GET', 'http.status_code': 200, index: i } }, () => {
      tracer.startSpan('SELECT items', { tags: { 'db.type': 'sql', 'db.statement': 'SELECT * FROM items WHERE id = ?' } }).finish();
    });
  }
  return spans;
}

describe('compact Thrift over UDP, decoded by Apache thrift', () => {
  test('every field of every span, and the process', async () => {
    receiver.clear();
    const context = exporterContext();
    const exporter = new JaegerUdpExporter({ host: '127.0.0.1', port: receiver.port, maxPacketSize: 65_000, protocol: 'compact' }, context);
    const spans = richSpans();
    assert.deepEqual(await exporter.export(spans), { sent: 3, droppedTooLarge: 0, failed: 0 });
    const [datagram] = await receiver.waitFor(1);
    const message = decodeCompactEmitBatch(datagram!);
    assert.deepEqual([message.name, message.type], ['emitBatch', 4], 'oneway emitBatch');
    assertRichBatch(message.batch, spans, context);
    await exporter.shutdown();
  });

  test('tags repeated, changed and reordered from span to span are each decoded as set', async () => {
    // The encoder copies a tag equal to the one it last wrote at the same position: spans of
    // different shapes interleaved, values that change at a position, and values of other types
    // under the same key must all still come out exactly as set.
    receiver.clear();
    const { tracer, spans } = collectingTracer();
    const pool: [string, unknown][] = [
      ['span.kind', 'server'], ['span.kind', 'client'], ['http.method', 'GET'], ['http.method', 'POST'],
      ['http.status_code', 200], ['http.status_code', 503], ['http.status_code', '200'], ['error', true], ['error', false],
      ['ratio', 0.5], ['big', 2 ** 40], ['neg', -7], ['http.url', '/a'], ['http.url', '/b?x=1'], ['peer.port', 40_000],
    ];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const expected: Map<string, unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      const tags = new Map<string, unknown>();
      for (let k = next(6); k >= 0; k--) {
        const [key, value] = pool[next(i % 3 === 0 ? 4 : pool.length)]!;
        tags.set(key, value);
      }
      const span = tracer.startSpan(`op${i % 3}`);
      for (const [key, value] of tags) span.setTag(key, value);
      span.finish();
      expected.push(tags);
    }
    const exporter = exporterTo(receiver.port);
    assert.equal((await exporter.export(spans)).sent, 300);
    const datagrams = await receiver.waitFor(1);
    const decoded = datagrams.flatMap((d) => decodeCompactEmitBatch(d).batch.spans);
    assert.equal(decoded.length, 300);
    decoded.forEach((span, i) => {
      const ours = span.tags!.filter((t) => !t.key.startsWith('sampler.'));
      assert.deepEqual(ours.map((t) => t.key), [...expected[i]!.keys()], `keys of span ${i}`);
      for (const t of ours) {
        const want = expected[i]!.get(t.key);
        const got = t.vStr ?? t.vBool ?? (t.vLong !== undefined ? Number(t.vLong) : t.vDouble);
        assert.equal(got, want, `span ${i} ${t.key}`);
        assert.equal(t.vType, typeof want === 'string' ? 0 : typeof want === 'boolean' ? 2 : Number.isInteger(want) ? 3 : 1, `span ${i} ${t.key} type`);
      }
    });
    await exporter.shutdown();
  });


  test('runs of repeated tags: a shape repeated, cut short, extended and changed inside a run', async () => {
    // A stretch of tags that repeats from one span to the next is copied as one run of bytes;
    // each of these must break or reuse that run and still decode exactly as set.
    receiver.clear();
    const { tracer, spans } = collectingTracer();
    const base: [string, unknown][] = [
      ['span.kind', 'server'], ['component', 'node-http'], ['http.method', 'GET'], ['peer.ipv4', '127.0.0.1'],
      ['http.status_code', 200], ['error', false],
    ];
    const shapes: [string, unknown][][] = [
      base,
      base.slice(0, 3), // shorter than the run
      [...base, ['http.route', '/a']], // longer
      base.map(([k, v], i): [string, unknown] => (i === 2 ? [k, 'POST'] : [k, v])), // changed inside
      base.map(([k, v], i): [string, unknown] => (i === 4 ? [k, '200'] : [k, v])), // same key, other type
      [base[1]!, base[0]!, ...base.slice(2)], // reordered
      [['http.url', '/x'], ...base], // shifted by one
    ];
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const expected: [string, unknown][][] = [];
    while (expected.length < 240) {
      const shape = shapes[next(shapes.length)]!;
      for (let r = 1 + next(4); r > 0; r--) {
        const span = tracer.startSpan('op', { tags: {} });
        for (const [key, value] of shape) span.setTag(key, value);
        span.finish();
        expected.push(shape);
      }
    }
    const exporter = exporterTo(receiver.port);
    assert.equal((await exporter.export(spans)).sent, expected.length);
    const datagrams = await receiver.waitFor(1);
    const decoded = datagrams.flatMap((d) => decodeCompactEmitBatch(d).batch.spans);
    assert.equal(decoded.length, expected.length);
    decoded.forEach((span, i) => {
      const ours = span.tags!.filter((t) => !t.key.startsWith('sampler.'))
        .map((t) => [t.key, t.vStr ?? t.vBool ?? (t.vLong !== undefined ? Number(t.vLong) : t.vDouble)]);
      assert.deepEqual(ours, expected[i], `span ${i}`);
    });
    await exporter.shutdown();
  });
  test('runs settle: spans of two shapes sharing a prefix, in turn, build no run per span', () => {
    const { tracer, spans } = collectingTracer();
    // Keys no other test uses: runs this module built for earlier tests do not count.
    const shared: [string, unknown][] = [['settle.kind', 'server'], ['settle.component', 'node-http'], ['settle.method', 'GET']];
    const shapes: [string, unknown][][] = [[...shared, ['settle.extra', 1]], shared, [...shared, ['settle.extra', 1]], shared, [...shared, ['settle.status', 200], ['settle.error', true]]];
    for (let i = 0; i < 3000; i++) {
      const span = tracer.startSpan('op');
      for (const [key, value] of shapes[i % shapes.length]!) span.setTag(key, value);
      span.finish();
    }
    const sink = new ThriftSink(1 << 20);
    const before = compactRunsBuilt();
    for (const span of spans) writeCompactSpan(sink, span);
    const built = compactRunsBuilt() - before;
    assert.ok(built > 0, 'runs are built');
    assert.ok(built < 20, `${built} runs built for ${spans.length} spans`);
  });

  test('a large batch is split into datagrams of at most maxPacketSize, none lost', async () => {
    receiver.clear();
    const exporter = exporterTo(receiver.port);
    const spans = manySpans(1500);
    assert.deepEqual(await exporter.export(spans), { sent: 3000, droppedTooLarge: 0, failed: 0 });
    await receiver.waitUntil((received) => spansReceived(received) >= 3000);
    const decoded = receiver.datagrams.map((d) => decodeCompactEmitBatch(d));
    assert.ok(receiver.datagrams.length >= 4, `${receiver.datagrams.length} datagrams`);
    for (const d of receiver.datagrams) assert.ok(d.length <= 65_000, `datagram of ${d.length} bytes`);
    assert.ok(receiver.datagrams[0]!.length > 60_000, 'datagrams are filled');
    const received = decoded.flatMap((m) => m.batch.spans);
    assert.equal(received.length, spans.length);
    received.forEach((decodedSpan, i) => assertSpanHeader(decodedSpan, spans[i]!));
    for (const m of decoded) assert.equal(m.batch.process.serviceName, 'orders');
    await exporter.shutdown();
  });

  test('a small maxPacketSize is honoured too', async () => {
    receiver.clear();
    const exporter = exporterTo(receiver.port, 1500);
    const spans = manySpans(100);
    assert.deepEqual(await exporter.export(spans), { sent: 200, droppedTooLarge: 0, failed: 0 });
    await receiver.waitUntil((received) => spansReceived(received) >= 200);
    assert.ok(receiver.datagrams.length > 10);
    for (const d of receiver.datagrams) assert.ok(d.length <= 1500, `datagram of ${d.length} bytes`);
    await exporter.shutdown();
  });

  test('a span too large for any datagram is dropped and counted; the rest are delivered', async () => {
    receiver.clear();
    const { tracer, spans } = collectingTracer({ limits: { maxTagValueLength: 200_000 } });
    tracer.startSpan('small before').finish();
    tracer.startSpan('huge', { tags: { blob: 'x'.repeat(70_000) } }).finish();
    tracer.startSpan('small after').finish();
    const exporter = exporterTo(receiver.port);
    assert.deepEqual(await exporter.export(spans), { sent: 2, droppedTooLarge: 1, failed: 0 });
    const [datagram] = await receiver.waitFor(1);
    assert.deepEqual(decodeCompactEmitBatch(datagram!).batch.spans.map((s) => s.operationName), ['small before', 'small after']);
    await exporter.shutdown();
  });

  test('a span just under the limit still goes out whole', async () => {
    receiver.clear();
    const { tracer, spans } = collectingTracer({ limits: { maxTagValueLength: 200_000 } });
    tracer.startSpan('big', { tags: { blob: 'y'.repeat(64_000) } }).finish();
    const exporter = exporterTo(receiver.port);
    assert.deepEqual(await exporter.export(spans), { sent: 1, droppedTooLarge: 0, failed: 0 });
    const [datagram] = await receiver.waitFor(1);
    assert.ok(datagram!.length <= 65_000 && datagram!.length > 64_000);
    assert.equal(tag(decodeCompactEmitBatch(datagram!).batch.spans[0]!.tags, 'blob').vStr, 'y'.repeat(64_000));
    await exporter.shutdown();
  });
});

describe('JaegerUdpExporter failure behaviour', () => {
  test('nothing listening: refused datagrams are counted as failed, nothing throws or rejects', async () => {
    const closed = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => closed.bind(0, '127.0.0.1', resolve));
    const port = closed.address().port;
    await new Promise<void>((resolve) => closed.close(resolve));
    const exporter = exporterTo(port, 1200);
    const spans = manySpans(60);
    const result = await exporter.export(spans);
    assert.equal(result.sent + result.failed, spans.length);
    assert.ok(result.failed > 0, 'ECONNREFUSED reported by later sends');
    await exporter.shutdown();
  });

  test('unresolvable host: every span failed, no rejection', async () => {
    const exporter = new JaegerUdpExporter({ host: 'no-such-host.invalid', port: 6831, maxPacketSize: 65_000, protocol: 'compact' }, exporterContext());
    const spans = manySpans(3);
    assert.deepEqual(await exporter.export(spans), { sent: 0, droppedTooLarge: 0, failed: 6 });
    await exporter.shutdown();
  });

  test('after shutdown, exports fail at once and shutdown can be repeated', async () => {
    receiver.clear();
    const exporter = exporterTo(receiver.port);
    const spans = manySpans(2);
    assert.equal((await exporter.export(spans)).sent, 4);
    await exporter.shutdown();
    await exporter.shutdown();
    assert.deepEqual(await exporter.export(spans), { sent: 0, droppedTooLarge: 0, failed: 4 });
  });

  test('shutdown waits for an export in flight', async () => {
    receiver.clear();
    const exporter = exporterTo(receiver.port, 1500);
    const spans = manySpans(200);
    const pending = exporter.export(spans);
    await exporter.shutdown();
    assert.deepEqual(await pending, { sent: 400, droppedTooLarge: 0, failed: 0 });
    await receiver.waitUntil((received) => spansReceived(received) >= 400);
  });
});
