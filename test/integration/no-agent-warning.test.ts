import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JaegerUdpExporter } from '../../src/reporting/jaeger-udp.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { initTracer } from '../../src/config/init.js';
import { refusingPort } from '../support/http-collector.js';
import { startUdpReceiver } from '../support/udp-receiver.js';

// The warning given when spans go to the default UDP agent and nobody listens there: once, on the
// first real batch (the ICMP refusal of a connected socket), with no probe datagram.
const span = (): Parameters<JaegerUdpExporter['export']>[0] => {
  const tracer = initTracer({ serviceName: 'w', global: false, reporter: { exporter: 'none' } });
  const s = tracer.startSpan('x');
  s.finish();
  return [s];
};

async function exportTwice(port: number, defaultAgent: boolean): Promise<string[]> {
  const messages: string[] = [];
  const exporter = new JaegerUdpExporter({ host: '127.0.0.1', port, maxPacketSize: 65000, protocol: 'compact', defaultAgent },
    { serviceName: 'w', processTags: {}, logger: { error: (m) => messages.push(m), warn: (m) => messages.push(m) } });
  for (let i = 0; i < 3; i++) {
    await exporter.export(span());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await exporter.shutdown();
  return messages;
}

describe('no agent at the default address', () => {
  test('one plain warning that says what to do, however many batches follow', async () => {
    const port = await refusingPort(); // stands in for 127.0.0.1:6831 with nobody listening
    const messages = await exportTwice(port, true);
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.match(messages[0]!, new RegExp(`no Jaeger agent is listening on 127\\.0\\.0\\.1:${port} \\(UDP\\)`));
    assert.match(messages[0]!, /Run Jaeger locally/);
    assert.match(messages[0]!, /OTEL_TRACES_EXPORTER/);
  });

  test('an agent that listens: no warning, and the only datagrams it gets are the batches', async () => {
    const agent = await startUdpReceiver();
    try {
      assert.deepEqual(await exportTwice(agent.port, true), []);
      assert.equal(agent.datagrams.length, 3);
    } finally {
      await agent.close();
    }
  });

  test('only the default destination, with nothing else configured, counts as default', () => {
    const previous = process.env['NODE_ENV'];
    assert.equal(resolveConfig({}).reporter.defaultAgent, true);
    assert.equal(resolveConfig({ reporter: { agentPort: 6831 } }).reporter.defaultAgent, false);
    assert.equal(resolveConfig({ reporter: { agentHost: 'jaeger' } }).reporter.defaultAgent, false);
    assert.equal(resolveConfig({ reporter: { exporter: 'jaeger-udp' } }).reporter.defaultAgent, false);
    assert.equal(resolveConfig({ reporter: { otlpEndpoint: 'http://127.0.0.1:4318/v1/traces' } }).reporter.defaultAgent, false);
    assert.equal(process.env['NODE_ENV'], previous);
  });
});
