import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as opentracing from 'opentracing';
import { readFileSync } from 'node:fs';
import { initTracer, initTracerFromEnv } from '../../../src/config/init.js';
import { globalTracer } from '../../../src/tracer/global.js';
import { VERSION } from '../../../src/version.js';

test('initTracer registers the global tracer unless global is false', async () => {
  const first = initTracer({ serviceName: 'a' });
  assert.equal(globalTracer(), first);
  const span = opentracing.globalTracer().startSpan('through the delegate');
  assert.equal(span.tracer(), first);
  const second = initTracer({ serviceName: 'b', global: false });
  assert.equal(globalTracer(), first);
  await Promise.all([first.close(), second.close()]);
});

test('initTracerFromEnv reads the environment and lets overrides win', async () => {
  const saved = { ...process.env };
  try {
    process.env['JAEGER_SERVICE_NAME'] = 'from-env';
    process.env['JAEGER_TAGS'] = 'zone=z1';
    process.env['JAEGER_SAMPLER_TYPE'] = 'const';
    process.env['JAEGER_SAMPLER_PARAM'] = '0';
    const fromEnv = initTracerFromEnv({ global: false });
    assert.equal(fromEnv.serviceName, 'from-env');
    assert.equal(fromEnv.processTags['zone'], 'z1');
    assert.equal(fromEnv.startSpan('x').context().isSampled(), false);
    const overridden = initTracerFromEnv({ serviceName: 'code', global: false, sampler: { type: 'const', param: 1 } });
    assert.equal(overridden.serviceName, 'code');
    assert.equal(overridden.startSpan('x').context().isSampled(), true);
    await Promise.all([fromEnv.close(), overridden.close()]);
  } finally {
    process.env = saved;
  }
});

test('a bad environment never throws: it warns and falls back', async () => {
  const saved = { ...process.env };
  const warnings: string[] = [];
  try {
    process.env['JAEGER_AGENT_PORT'] = '99999';
    process.env['OTEL_TRACES_SAMPLER_ARG'] = 'abc';
    process.env['OTEL_TRACES_SAMPLER'] = 'traceidratio';
    const tracer = initTracerFromEnv({ serviceName: 's', global: false }, { logger: { warn: (m) => warnings.push(m) } });
    assert.equal(warnings.length, 2);
    assert.match(warnings.join('\n'), /JAEGER_AGENT_PORT="99999"/);
    assert.match(warnings.join('\n'), /OTEL_TRACES_SAMPLER_ARG="abc"/);
    await tracer.close();
  } finally {
    process.env = saved;
  }
});

test('an invalid override still throws, naming the option', () => {
  assert.throws(() => initTracerFromEnv({ sampler: { type: 'probabilistic', param: 3 } }), /config\.sampler\.param/);
});

test('VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
});
