// A process that finishes 50 000 spans and calls tracer.close() delivers every one of them to a
// real UDP receiver (a stand-in jaeger-agent), through the default reporter and the compact UDP
// exporter. The app runs in a child process so the receiver drains its socket concurrently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startUdpReceiver } from '../support/udp-receiver.js';
import { runNode } from '../support/run-node.js';
import { decodeCompactEmitBatch } from '../peers/jaeger-thrift-decode.js';

const TOTAL = 50_000;

function rmemMax(): string {
  try {
    return readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

const APP = `
import { setImmediate as nextTurn } from 'node:timers/promises';
import { initTracer } from './src/config/init.ts';
const tracer = initTracer({
  serviceName: 'delivery',
  global: false,
  reporter: { exporter: 'jaeger-udp', agentHost: '127.0.0.1', agentPort: Number(process.env.AGENT_PORT) },
});
// An app finishing spans as it works: 500 per turn of the event loop.
for (let i = 0; i < ${TOTAL}; i += 500) {
  for (let j = i; j < i + 500; j++) tracer.startSpan('work', { tags: { index: j } }).finish();
  await nextTurn();
}
await tracer.close();
process.stdout.write(JSON.stringify(tracer.stats()));
`;

test(`all ${TOTAL} finished spans reach the agent after close()`, { timeout: 60_000 }, async () => {
  const receiver = await startUdpReceiver({ recvBufferSize: 32 * 1024 * 1024 });
  try {
    const { code, stdout, stderr } = await runNode(APP, { env: { ...process.env, AGENT_PORT: String(receiver.port) } });
    assert.equal(code, 0, stderr);
    const stats = JSON.parse(stdout) as Record<string, number>;
    assert.equal(stats['spansFinished'], TOTAL);
    assert.equal(stats['reported'], TOTAL, stdout);
    assert.equal(stats['droppedQueueFull'], 0);
    assert.equal(stats['queued'], 0);

    // Everything was handed to the kernel before close() resolved; give the receiver a moment to read it all.
    const spanCount = (): number => receiver.datagrams.reduce((n, d) => n + decodeCompactEmitBatch(d).batch.spans.length, 0);
    await receiver.waitUntil(() => receiver.datagrams.length > 0, 5000);
    const deadline = Date.now() + 5000;
    let received = spanCount();
    while (received < TOTAL && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      received = spanCount();
    }

    const indexes = new Set<bigint>();
    const spanIds = new Set<bigint>();
    for (const datagram of receiver.datagrams) {
      assert.ok(datagram.length <= 65_000, `datagram of ${datagram.length} bytes`);
      for (const span of decodeCompactEmitBatch(datagram).batch.spans) {
        spanIds.add(span.spanId);
        const index = span.tags?.find((t) => t.key === 'index');
        if (index?.vLong !== undefined) indexes.add(index.vLong);
      }
    }
    assert.equal(received, TOTAL, `received ${received} spans in ${receiver.datagrams.length} datagrams; ` +
      `if the kernel dropped datagrams, raise net.core.rmem_max (now ${rmemMax()}) to 8 MB or more`);
    assert.equal(spanIds.size, TOTAL, 'every span once');
    assert.equal(indexes.size, TOTAL, 'every index 0..49 999');
  } finally {
    await receiver.close();
  }
});
