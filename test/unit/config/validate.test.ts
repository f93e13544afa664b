import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTracer } from '../../../src/config/init.js';
import type { TracingConfig } from '../../../src/config/options.js';

const cases: [string, unknown, RegExp][] = [
  ['serviceName empty', { serviceName: '' }, /config\.serviceName/],
  ['serviceName number', { serviceName: 42 }, /config\.serviceName/],
  ['disable string', { disable: 'yes' }, /config\.disable/],
  ['sampler.type unknown', { sampler: { type: 'sometimes' } }, /config\.sampler\.type/],
  ['probabilistic param > 1', { sampler: { type: 'probabilistic', param: 2 } }, /config\.sampler\.param/],
  ['const param NaN', { sampler: { type: 'const', param: Number.NaN } }, /config\.sampler\.param/],
  ['ratelimiting negative', { sampler: { type: 'ratelimiting', param: -1 } }, /config\.sampler\.param/],
  ['sampler hostPort', { sampler: { type: 'remote', hostPort: 'no-port' } }, /config\.sampler\.hostPort/],
  ['refresh interval', { sampler: { refreshIntervalMs: 0 } }, /config\.sampler\.refreshIntervalMs/],
  ['agentPort 0', { reporter: { agentPort: 0 } }, /config\.reporter\.agentPort/],
  ['agentPort text', { reporter: { agentPort: 'six' } }, /config\.reporter\.agentPort/],
  ['collectorEndpoint not a URL', { reporter: { collectorEndpoint: 'localhost:14268' } }, /config\.reporter\.collectorEndpoint/],
  ['otlpEndpoint ftp', { reporter: { otlpEndpoint: 'ftp://x/v1/traces' } }, /config\.reporter\.otlpEndpoint/],
  ['flushIntervalMs negative', { reporter: { flushIntervalMs: -5 } }, /config\.reporter\.flushIntervalMs/],
  ['maxPacketSize too large', { reporter: { maxPacketSize: 70000 } }, /config\.reporter\.maxPacketSize/],
  ['exporter unknown', { reporter: { exporter: 'zipkin' } }, /config\.reporter\.exporter/],
  ['propagators unknown', { propagators: ['jaeger', 'xray'] }, /config\.propagators\[1\]/],
  ['propagators not array', { propagators: 'jaeger' }, /config\.propagators/],
  ['tags value object', { tags: { a: { b: 1 } } }, /config\.tags\.a/],
  ['limits zero', { limits: { maxTags: 0 } }, /config\.limits\.maxTags/],
  ['config not object', 'jaeger', /config must be an object, got "jaeger"/],
];

describe('invalid explicit options throw a TypeError naming the option', () => {
  for (const [name, config, pattern] of cases) {
    test(name, () => {
      assert.throws(() => initTracer(config as TracingConfig), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, pattern);
        return true;
      });
    });
  }
});

test("jaeger-client's config shape is accepted as it is", async () => {
  const tracer = initTracer({
    serviceName: 'orders',
    disable: false,
    tags: { version: '1.2.3', canary: true },
    sampler: { type: 'probabilistic', param: 0.5, hostPort: '127.0.0.1:5778', refreshIntervalMs: 10_000 },
    reporter: { logSpans: false, agentHost: '127.0.0.1', agentPort: 6831, flushIntervalMs: 500 },
    global: false,
  });
  assert.equal(tracer.serviceName, 'orders');
  assert.equal(tracer.processTags['version'], '1.2.3');
  assert.match(String(tracer.processTags['jaeger.version']), /^opentracing-async-instrumentation-Node-\d+\.\d+\.\d+/);
  assert.equal(typeof tracer.processTags['hostname'], 'string');
  assert.match(String(tracer.processTags['client-uuid']), /^[0-9a-f-]{36}$/);
  await tracer.close();
});
