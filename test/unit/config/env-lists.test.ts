import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configFromEnv } from '../../../src/config/env.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import { initTracerFromEnv } from '../../../src/config/init.js';

function read(env: Record<string, string>): { config: ReturnType<typeof configFromEnv>; warnings: string[] } {
  const warnings: string[] = [];
  const config = configFromEnv(env, { warn: (m) => warnings.push(m) });
  return { config, warnings };
}

/** The headers an injected span writes with the tracer `OTEL_PROPAGATORS` configures. */
function injectedHeaders(propagators: string): { headers: string[]; warnings: string[] } {
  const saved = process.env['OTEL_PROPAGATORS'];
  process.env['OTEL_PROPAGATORS'] = propagators;
  const warnings: string[] = [];
  try {
    const tracer = initTracerFromEnv({ serviceName: 's', global: false, reporter: { exporter: 'none' } }, { logger: { warn: (m) => warnings.push(m) } });
    const carrier: Record<string, string> = {};
    tracer.inject(tracer.startSpan('x'), 'http_headers', carrier);
    return { headers: Object.keys(carrier).sort(), warnings };
  } finally {
    if (saved === undefined) delete process.env['OTEL_PROPAGATORS'];
    else process.env['OTEL_PROPAGATORS'] = saved;
  }
}

describe('OTEL_PROPAGATORS: a bad value never switches propagation off', () => {
  test('only unknown names: one warning, and the default propagators (what the warning says)', () => {
    const { headers, warnings } = injectedHeaders('w3c');
    assert.deepEqual(headers, ['traceparent', 'uber-trace-id']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /OTEL_PROPAGATORS="w3c".*skipping w3c, using the default \(jaeger, tracecontext, baggage\)/);
  });

  test('known and unknown names: the known ones are used, and the warning names them', () => {
    const { headers, warnings } = injectedHeaders('tracecontext,w3c,xray');
    assert.deepEqual(headers, ['traceparent']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /skipping w3c, xray, using tracecontext$/);
    assert.doesNotMatch(warnings[0]!, /using the default/);
  });

  test('none (and only none) means no propagation, without a warning', () => {
    assert.deepEqual(injectedHeaders('none'), { headers: [], warnings: [] });
  });
});

describe('JAEGER_TAGS and key=value lists: one warning per variable, saying what is kept', () => {
  test('JAEGER_TAGS with several bad items', () => {
    const { config, warnings } = read({ JAEGER_TAGS: 'a=1,b,c,d=2' });
    assert.deepEqual(config.tags, { a: '1', d: '2' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /JAEGER_TAGS="a=1,b,c,d=2".*skipping "b", "c", keeping a, d$/);
    assert.doesNotMatch(warnings[0]!, /using the default/);
  });

  test('OTEL_RESOURCE_ATTRIBUTES with two bad items warns once', () => {
    const { config, warnings } = read({ OTEL_RESOURCE_ATTRIBUTES: 'x,y,k=v' });
    assert.deepEqual(config.tags, { k: 'v' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /skipping 2 malformed items, keeping 1/);
  });

  test('a malformed OTLP header list is reported without its values (they are API keys)', () => {
    const { warnings } = read({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cr3t,broken' });
    assert.equal(warnings.length, 1);
    assert.doesNotMatch(warnings[0]!, /s3cr3t/);
    assert.match(warnings[0]!, /OTEL_EXPORTER_OTLP_HEADERS=\(value not shown\)/);
  });
});

describe('OTEL_TRACES_EXPORTER is a list', () => {
  test('otlp,console: both, in order', () => {
    const { config, warnings } = read({ OTEL_TRACES_EXPORTER: 'otlp,console' });
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.reporter?.exporter, ['otlp', 'console']);
    const resolved = resolveConfig(config).reporter;
    assert.equal(resolved.exporter, 'otlp');
    assert.deepEqual(resolved.alsoExportTo, ['console']);
  });

  test('with the JSON protocol, jaeger, and an unknown name warned about', () => {
    const { config, warnings } = read({ OTEL_TRACES_EXPORTER: 'jaeger, otlp ,zipkin', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    assert.deepEqual(config.reporter?.exporter, ['jaeger-udp', 'otlp-json']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /skipping zipkin, using jaeger-udp, otlp-json/);
  });

  test('none beside others is dropped; a single name stays a string', () => {
    assert.equal(read({ OTEL_TRACES_EXPORTER: 'none,console' }).config.reporter?.exporter, 'console');
    assert.equal(read({ OTEL_TRACES_EXPORTER: 'console' }).config.reporter?.exporter, 'console');
  });
});
