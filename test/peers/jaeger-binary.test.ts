// Binary-Thrift output (agent UDP port 6832 and the collector's HTTP body), decoded by thriftrw
// with the IDL files jaeger-client ships.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JaegerUdpExporter } from '../../src/reporting/jaeger-udp.js';
import { JaegerHttpExporter } from '../../src/reporting/jaeger-http.js';
import { startUdpReceiver } from '../support/udp-receiver.js';
import type { UdpReceiver } from '../support/udp-receiver.js';
import { decodeBinaryBatch, decodeBinaryEmitBatch } from './jaeger-thrift-decode.js';
import { assertRichBatch, assertSpanHeader, collectingTracer, exporterContext, richSpans } from './jaeger-fixture.js';

let receiver: UdpReceiver;
before(async () => {
  receiver = await startUdpReceiver();
});
after(() => receiver.close());

describe('binary Thrift over UDP, decoded by thriftrw', () => {
  test('every field of every span, and the process', async () => {
    receiver.clear();
    const context = exporterContext();
    const exporter = new JaegerUdpExporter({ host: '127.0.0.1', port: receiver.port, maxPacketSize: 65_000, protocol: 'binary' }, context);
    const spans = richSpans();
    assert.deepEqual(await exporter.export(spans), { sent: 3, droppedTooLarge: 0, failed: 0 });
    const [datagram] = await receiver.waitFor(1);
    const message = decodeBinaryEmitBatch(datagram!);
    assert.deepEqual([message.name, message.type], ['emitBatch', 4], 'oneway emitBatch');
    assertRichBatch(message.batch, spans, context);
    await exporter.shutdown();
  });

  test('split into datagrams of at most maxPacketSize, every span decoded in order', async () => {
    receiver.clear();
    const { tracer, spans } = collectingTracer();
    for (let i = 0; i < 400; i++) tracer.startSpan('op', { tags: { index: i, text: 'z'.repeat(i % 100) } }).finish();
    const exporter = new JaegerUdpExporter({ host: '127.0.0.1', port: receiver.port, maxPacketSize: 4000, protocol: 'binary' }, exporterContext());
    assert.deepEqual(await exporter.export(spans), { sent: 400, droppedTooLarge: 0, failed: 0 });
    let decoded: ReturnType<typeof decodeBinaryEmitBatch>[] = [];
    await receiver.waitUntil((received) => {
      decoded = received.map((d) => decodeBinaryEmitBatch(d));
      return decoded.reduce((n, m) => n + m.batch.spans.length, 0) >= 400;
    });
    for (const d of receiver.datagrams) assert.ok(d.length <= 4000, `datagram of ${d.length} bytes`);
    const received = decoded.flatMap((m) => m.batch.spans);
    assert.equal(received.length, 400);
    received.forEach((span, i) => assertSpanHeader(span, spans[i]!));
    await exporter.shutdown();
  });
});

describe('collector HTTP body, decoded by thriftrw', () => {
  let server: http.Server;
  const bodies: { contentType: string | undefined; body: Buffer }[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        bodies.push({ contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a bare binary Batch with every field', async () => {
    const context = exporterContext();
    const { port } = server.address() as AddressInfo;
    const exporter = new JaegerHttpExporter({ endpoint: `http://127.0.0.1:${port}/api/traces` }, context);
    const spans = richSpans();
    assert.deepEqual(await exporter.export(spans), { sent: 3, droppedTooLarge: 0, failed: 0 });
    assert.equal(bodies.length, 1);
    assert.equal(bodies[0]!.contentType, 'application/x-thrift');
    assertRichBatch(decodeBinaryBatch(bodies[0]!.body), spans, context);
    await exporter.shutdown();
  });
});
