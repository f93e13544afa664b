// A long-running process exports again and again: what each export leaves behind must be freed,
// or the heap grows with every datagram ever sent. Measured in a child process with --expose-gc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../support/run-node.js';

const EXPORTS = 30_000;

const APP = `
import dgram from 'node:dgram';
import { initTracer } from './src/config/init.ts';
import { JaegerUdpExporter } from './src/reporting/jaeger-udp.ts';
const agent = dgram.createSocket('udp4');
await new Promise((resolve) => agent.bind(0, '127.0.0.1', resolve));
let datagrams = 0;
agent.on('message', () => { datagrams++; });
const spans = [];
const tracer = initTracer({ serviceName: 'long-lived', global: false }, { reporter: { report: (span) => spans.push(span), async flush() {}, async close() {} } });
for (let i = 0; i < 4; i++) tracer.startSpan('work').finish();
const exporter = new JaegerUdpExporter({ host: '127.0.0.1', port: agent.address().port, maxPacketSize: 65000, protocol: 'compact' },
  { serviceName: 'long-lived', processTags: {}, logger: { warn() {}, error() {} } });
let sent = await exporter.export(spans).then((r) => r.sent);
globalThis.gc(); globalThis.gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < ${EXPORTS}; i++) sent += (await exporter.export(spans)).sent;
globalThis.gc(); globalThis.gc();
const growth = process.memoryUsage().heapUsed - before;
await exporter.shutdown();
agent.close();
process.stdout.write(JSON.stringify({ growth, sent }));
`;

test(`jaeger-udp: ${EXPORTS} exports to a live agent leave the heap flat`, { timeout: 60_000 }, async () => {
  const { code, stdout, stderr } = await runNode(APP, { nodeFlags: ['--expose-gc'] });
  assert.equal(code, 0, stderr);
  const { growth, sent } = JSON.parse(stdout) as { growth: number; sent: number };
  assert.equal(sent, 4 * (EXPORTS + 1));
  // Before the fix each export stayed attached to a never-settled promise: about 600 bytes apiece.
  assert.ok(growth < 3 * 1024 * 1024, `heap grew by ${(growth / 1048576).toFixed(1)} MB over ${EXPORTS} exports`);
});
