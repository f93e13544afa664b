import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTracer, initTracerFromEnv } from '../../../src/config/init.js';
import type { TracerOptions, TracingConfig } from '../../../src/config/options.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import { normalizeConfig } from '../../../src/config/normalize.js';

const quiet = { serviceName: 's', global: false, reporter: { exporter: 'none' as const } };

function throwsNaming(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TypeError, `a TypeError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("initTracer's second argument is checked at init, naming the option", () => {
  test('null and undefined mean no options, for both entry points', () => {
    assert.equal(initTracer(quiet, null).serviceName, 's');
    assert.equal(initTracerFromEnv(quiet, null).serviceName, 's');
    assert.equal(initTracer(quiet, undefined).serviceName, 's');
  });

  const cases: [string, unknown, RegExp][] = [
    ['not an object', 5, /options must be an object, got 5/],
    ['logger a number', { logger: 5 }, /options\.logger must be an object with info, warn and\/or error methods, got 5/],
    ['logger without methods', { logger: {} }, /options\.logger/],
    ['logger.warn not a function', { logger: { warn: 'x' } }, /options\.logger/],
    ['reporter without report()', { reporter: {} }, /options\.reporter must be a reporter: an object with a report\(span\) method/],
    ['sampler without isSampled()', { sampler: {} }, /options\.sampler must be a sampler: an object with an isSampled\(\) method/],
    ['tags with an object value', { tags: { a: {} } }, /options\.tags\.a must be a string, number or boolean/],
  ];
  for (const [name, options, pattern] of cases) {
    test(name, () => {
      throwsNaming(() => initTracer(quiet, options as TracerOptions), pattern);
      throwsNaming(() => initTracerFromEnv(quiet, options as TracerOptions), pattern);
    });
  }

  test('a user sampler that throws or answers nonsense samples nothing; startSpan never throws', () => {
    const warnings: string[] = [];
    const logger = { error: (m: string) => warnings.push(m) };
    const throwing = initTracer(quiet, { logger, sampler: { isSampled: () => { throw new Error('boom'); } } });
    assert.equal(throwing.startSpan('a').context().isSampled(), false);
    const odd = initTracer(quiet, { sampler: { isSampled: () => null } } as unknown as TracerOptions);
    assert.equal(odd.startSpan('a').context().isSampled(), false);
    const oddTags = initTracer(quiet, { sampler: { isSampled: () => ({ sampled: true, tags: null }) } } as unknown as TracerOptions);
    assert.equal(oddTags.startSpan('a').context().isSampled(), true);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /sampler: boom/);
  });

  test('config null: the message names config itself', () => {
    throwsNaming(() => initTracer(null as unknown as TracingConfig), /^opentracing-async-instrumentation: config must be an object, got null$/);
  });
});

describe('config: numeric strings accepted, unknown keys warned once with the nearest known name', () => {
  test("numeric strings where jaeger-client took them (as env-driven configs write them)", () => {
    const config = normalizeConfig({
      reporter: { agentPort: '6831', flushIntervalMs: '500', maxQueueSize: ' 20 ' },
      sampler: { type: 'probabilistic', param: '0.25', port: '5778', refreshIntervalMs: '1000' },
      limits: { maxTags: '16' },
    } as unknown as TracingConfig, {}, () => assert.fail('no warning expected'));
    const resolved = resolveConfig(config);
    assert.equal(resolved.reporter.agentPort, 6831);
    assert.equal(resolved.reporter.flushIntervalMs, 500);
    assert.equal(resolved.reporter.maxQueueSize, 20);
    assert.equal(resolved.sampler.param, 0.25);
    assert.equal(resolved.sampler.samplingUrl, 'http://127.0.0.1:5778/sampling');
    assert.equal(resolved.sampler.refreshIntervalMs, 1000);
    assert.equal(resolved.limits.maxTags, 16);
    const tracer = initTracer({ ...quiet, reporter: { exporter: 'none', agentPort: '6831' } } as unknown as TracingConfig);
    assert.equal(tracer.serviceName, 's');
  });

  test("the caller's object is not modified", () => {
    const reporter = { agentPort: '6831' };
    normalizeConfig({ reporter } as unknown as TracingConfig, {}, () => undefined);
    assert.equal(reporter.agentPort, '6831');
  });

  test('text that is not a number still throws, naming the option', () => {
    throwsNaming(() => initTracer({ ...quiet, reporter: { agentPort: '68x1' } } as unknown as TracingConfig), /config\.reporter\.agentPort/);
    throwsNaming(() => initTracer({ ...quiet, sampler: { param: '' } } as unknown as TracingConfig), /config\.sampler\.param/);
  });

  test('misspelled keys: one warning naming each and its nearest known key', () => {
    const warnings: string[] = [];
    initTracer({ ...quiet, reporter: { exporter: 'none', agentHostt: 'x' }, samplr: {}, limits: { maxTag: 3 } } as unknown as TracingConfig,
      { logger: { warn: (m: string) => warnings.push(m) }, loger: {} } as unknown as TracerOptions);
    assert.equal(warnings.length, 1);
    const [warning] = warnings;
    assert.match(warning!, /ignoring unknown options:/);
    assert.match(warning!, /reporter\.agentHostt \(did you mean reporter\.agentHost\?\)/);
    assert.match(warning!, /samplr \(did you mean sampler\?\)/);
    assert.match(warning!, /limits\.maxTag \(did you mean limits\.maxTags\?\)/);
    assert.match(warning!, /options\.loger \(did you mean options\.logger\?\)/);
  });

  test("a key far from every known one is named without a guess; jaeger-client's own keys are accepted quietly", () => {
    const warnings: string[] = [];
    initTracer({ ...quiet, completelyDifferent: 1, traceId128bit: true, reporter: { exporter: 'none', timeoutMs: 5 } } as unknown as TracingConfig,
      { logger: { warn: (m) => warnings.push(m) } });
    assert.deepEqual(warnings, ['ignoring unknown option: completelyDifferent']);
  });
});
