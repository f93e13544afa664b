import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromEnv } from '../../../src/config/env.js';
import { mergeConfig, resolveConfig } from '../../../src/config/resolve.js';

function read(env: Record<string, string>): { config: ReturnType<typeof configFromEnv>; warnings: string[] } {
  const warnings: string[] = [];
  const config = configFromEnv(env, { warn: (m) => warnings.push(m) });
  return { config, warnings };
}

describe('JAEGER_* variables', () => {
  test('every documented variable is read', () => {
    const { config, warnings } = read({
      JAEGER_SERVICE_NAME: 'orders',
      JAEGER_AGENT_HOST: '127.0.0.2',
      JAEGER_AGENT_PORT: '6832',
      JAEGER_ENDPOINT: 'http://127.0.0.1:14268/api/traces',
      JAEGER_USER: 'u',
      JAEGER_PASSWORD: 'p',
      JAEGER_SAMPLER_TYPE: 'probabilistic',
      JAEGER_SAMPLER_PARAM: '0.25',
      JAEGER_SAMPLER_MANAGER_HOST_PORT: '127.0.0.1:5779',
      JAEGER_TAGS: 'region=eu, pod=${POD_NAME:unknown},fromEnv=${HOME_X}',
      JAEGER_DISABLED: 'false',
      JAEGER_REPORTER_FLUSH_INTERVAL: '250',
      JAEGER_REPORTER_LOG_SPANS: 'true',
      HOME_X: '/home/x',
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(config, {
      serviceName: 'orders',
      disable: false,
      tags: { region: 'eu', pod: 'unknown', fromEnv: '/home/x' },
      sampler: { type: 'probabilistic', param: 0.25, hostPort: '127.0.0.1:5779' },
      reporter: {
        agentHost: '127.0.0.2', agentPort: 6832, collectorEndpoint: 'http://127.0.0.1:14268/api/traces',
        username: 'u', password: 'p', flushIntervalMs: 250, logSpans: true,
      },
    });
  });

  test('invalid values give one warning naming the variable and value, and the default', () => {
    const { config, warnings } = read({
      JAEGER_AGENT_PORT: 'seventy',
      JAEGER_SAMPLER_TYPE: 'sometimes',
      JAEGER_SAMPLER_PARAM: '7',
      JAEGER_DISABLED: 'maybe',
      JAEGER_ENDPOINT: 'not a url',
      JAEGER_REPORTER_FLUSH_INTERVAL: '-1',
      JAEGER_SAMPLER_MANAGER_HOST_PORT: 'nocolon',
    });
    assert.equal(warnings.length, 7);
    for (const [name, value] of [['JAEGER_AGENT_PORT', 'seventy'], ['JAEGER_SAMPLER_TYPE', 'sometimes'], ['JAEGER_SAMPLER_PARAM', '7'],
      ['JAEGER_DISABLED', 'maybe'], ['JAEGER_ENDPOINT', 'not a url'], ['JAEGER_REPORTER_FLUSH_INTERVAL', '-1'], ['JAEGER_SAMPLER_MANAGER_HOST_PORT', 'nocolon']]) {
      assert.ok(warnings.some((w) => w.includes(name!) && w.includes(JSON.stringify(value))), `${name} warned`);
    }
    assert.deepEqual(config, {});
    const resolved = resolveConfig(config);
    assert.equal(resolved.reporter.agentPort, 6831);
    assert.equal(resolved.sampler.type, 'const');
  });

  test('a rate-limiting sampler accepts params above 1', () => {
    const { config, warnings } = read({ JAEGER_SAMPLER_TYPE: 'ratelimiting', JAEGER_SAMPLER_PARAM: '100' });
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.sampler, { type: 'ratelimiting', param: 100 });
  });
});

describe('OTEL_* variables', () => {
  test('service name, resource attributes, sampler, propagators, exporter and endpoint', () => {
    const { config, warnings } = read({
      OTEL_SERVICE_NAME: 'inventory',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,team=a%20b',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_PROPAGATORS: 'tracecontext,baggage,b3',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%3D,x=y',
      OTEL_SDK_DISABLED: 'false',
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(config, {
      serviceName: 'inventory',
      disable: false,
      tags: { 'deployment.environment': 'prod', team: 'a b' },
      sampler: { type: 'probabilistic', param: 0.1 },
      reporter: { otlpEndpoint: 'http://127.0.0.1:4318/v1/traces', headers: { 'api-key': 'abc=', x: 'y' }, exporter: 'otlp' },
      propagators: ['tracecontext', 'baggage', 'b3'],
    });
  });

  test('the traces endpoint is used as given; http/json selects OTLP JSON; none disables propagation', () => {
    const { config } = read({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9999/custom',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_PROPAGATORS: 'none',
    });
    assert.equal(config.reporter?.otlpEndpoint, 'http://127.0.0.1:9999/custom');
    assert.equal(config.reporter?.exporter, 'otlp-json');
    assert.deepEqual(config.propagators, []);
  });

  test('always_on/off and jaeger_remote map to Jaeger samplers', () => {
    assert.deepEqual(read({ OTEL_TRACES_SAMPLER: 'always_off' }).config.sampler, { type: 'const', param: 0 });
    assert.deepEqual(read({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }).config.sampler, { type: 'const', param: 1 });
    assert.deepEqual(read({
      OTEL_TRACES_SAMPLER: 'jaeger_remote',
      OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://127.0.0.1:5778,pollingIntervalMs=5000,initialSamplingRate=0.25',
    }).config.sampler, { type: 'remote', hostPort: '127.0.0.1:5778', refreshIntervalMs: 5000, param: 0.25 });
  });

  test('unknown names warn and are skipped', () => {
    const { config, warnings } = read({ OTEL_PROPAGATORS: 'tracecontext,xray', OTEL_TRACES_SAMPLER: 'sometimes', OTEL_TRACES_EXPORTER: 'zipkin' });
    assert.deepEqual(config.propagators, ['tracecontext']);
    assert.equal(config.sampler, undefined);
    assert.equal(config.reporter, undefined);
    assert.equal(warnings.length, 3);
    assert.ok(warnings.some((w) => w.includes('OTEL_PROPAGATORS')));
    assert.ok(warnings.some((w) => w.includes('OTEL_TRACES_SAMPLER')));
    assert.ok(warnings.some((w) => w.includes('OTEL_TRACES_EXPORTER')));
  });

  test('JAEGER_* wins where both families set the same thing', () => {
    const { config } = read({ JAEGER_SERVICE_NAME: 'j', OTEL_SERVICE_NAME: 'o', JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '0', OTEL_TRACES_SAMPLER: 'always_on' });
    assert.equal(config.serviceName, 'j');
    assert.deepEqual(config.sampler, { type: 'const', param: 0 });
  });

  test('OTEL_SDK_DISABLED disables', () => {
    assert.equal(read({ OTEL_SDK_DISABLED: 'true' }).config.disable, true);
  });
});

describe('merging and defaults', () => {
  test('overrides win over the environment, block by block', () => {
    const env = read({ JAEGER_SERVICE_NAME: 'env', JAEGER_AGENT_HOST: '127.0.0.9', JAEGER_AGENT_PORT: '7000', JAEGER_TAGS: 'a=1' }).config;
    const merged = mergeConfig(env, { serviceName: 'code', reporter: { agentPort: 7001 }, tags: { b: '2' } });
    const resolved = resolveConfig(merged);
    assert.equal(resolved.serviceName, 'code');
    assert.equal(resolved.reporter.agentHost, '127.0.0.9');
    assert.equal(resolved.reporter.agentPort, 7001);
    assert.equal(resolved.tags['a'], '1');
    assert.equal(resolved.tags['b'], '2');
  });

  test('an explicit sampler type does not inherit the env param', () => {
    const env = read({ JAEGER_SAMPLER_TYPE: 'ratelimiting', JAEGER_SAMPLER_PARAM: '100' }).config;
    const resolved = resolveConfig(mergeConfig(env, { sampler: { type: 'probabilistic' } }));
    assert.deepEqual([resolved.sampler.type, resolved.sampler.param], ['probabilistic', 1]);
  });

  test('the exporter follows the endpoints given', () => {
    assert.equal(resolveConfig({}).reporter.exporter, 'jaeger-udp');
    assert.equal(resolveConfig({ reporter: { collectorEndpoint: 'http://127.0.0.1:14268/api/traces' } }).reporter.exporter, 'jaeger-http');
    assert.equal(resolveConfig({ reporter: { otlpEndpoint: 'http://127.0.0.1:4318/v1/traces' } }).reporter.exporter, 'otlp');
    assert.equal(resolveConfig({ reporter: { exporter: 'jaeger-udp-binary' } }).reporter.agentPort, 6832);
    assert.deepEqual(resolveConfig({}).propagators, ['jaeger', 'tracecontext', 'baggage']);
    assert.equal(resolveConfig({}).serviceName, 'unknown_service:node');
  });
});
