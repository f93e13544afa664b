import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStrategy, samplerFor } from '../../../src/sampling/remote-strategy.js';
import { PerOperationSampler } from '../../../src/sampling/remote-per-operation.js';
import { randomWord } from '../../../src/tracer/ids.js';
import { DOCUMENTS, MALFORMED } from './remote-documents.js';

const randomTrace = (): number[] => [randomWord(), randomWord(), randomWord(), randomWord()];

describe('parseStrategy', () => {
  test('reads the strategies Jaeger serves, enum names or numbers, zero values left out', () => {
    assert.deepEqual(parseStrategy(DOCUMENTS.probabilistic), { type: 'probabilistic', samplingRate: 0.25 });
    assert.deepEqual(parseStrategy(DOCUMENTS.probabilisticLegacy), { type: 'probabilistic', samplingRate: 1 });
    assert.deepEqual(parseStrategy(DOCUMENTS.probabilisticProto3), { type: 'probabilistic', samplingRate: 1 });
    assert.deepEqual(parseStrategy({ probabilisticSampling: {} }), { type: 'probabilistic', samplingRate: 0 });
    assert.deepEqual(parseStrategy(DOCUMENTS.rateLimiting), { type: 'ratelimiting', maxTracesPerSecond: 2 });
    assert.deepEqual(parseStrategy(DOCUMENTS.rateLimitingLegacy), { type: 'ratelimiting', maxTracesPerSecond: 5 });
    assert.deepEqual(parseStrategy(DOCUMENTS.perOperation), {
      type: 'per-operation',
      defaultSamplingProbability: 0.5,
      defaultLowerBoundTracesPerSecond: 1,
      perOperationStrategies: [{ operation: 'GET /health', samplingRate: 0 }, { operation: 'POST /orders', samplingRate: 1 }],
    });
  });

  test('rejects malformed documents with a reason', () => {
    for (const [what, text] of MALFORMED) {
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        continue; // not JSON at all: the sampler rejects it before parsing a strategy
      }
      const result = parseStrategy(document);
      assert.ok(result instanceof Error, `${what} should be rejected, got ${JSON.stringify(result)}`);
    }
  });
});

describe('samplers for strategies', () => {
  test('probabilistic and rate limiting carry Jaeger\'s sampler tags', () => {
    const all = samplerFor({ type: 'probabilistic', samplingRate: 1 }, 10);
    assert.deepEqual(all.isSampled('op', randomTrace()), { sampled: true, tags: ['sampler.type', 'probabilistic', 'sampler.param', 1] });
    const limited = samplerFor({ type: 'ratelimiting', maxTracesPerSecond: 2 }, 10);
    const decisions = Array.from({ length: 5 }, () => limited.isSampled('op', randomTrace()));
    assert.deepEqual(decisions.map((d) => d.sampled), [true, true, false, false, false]);
    assert.deepEqual(decisions[0]!.tags, ['sampler.type', 'ratelimiting', 'sampler.param', 2]);
  });

  test('per operation: own rates, the default for others, and a lower bound for rare operations', () => {
    const strategy = parseStrategy(DOCUMENTS.perOperation);
    assert.ok(!(strategy instanceof Error));
    const sampler = samplerFor(strategy, 100);
    const orders = sampler.isSampled('POST /orders', randomTrace());
    assert.deepEqual(orders, { sampled: true, tags: ['sampler.type', 'probabilistic', 'sampler.param', 1] });

    const health = Array.from({ length: 5 }, () => sampler.isSampled('GET /health', randomTrace()));
    assert.deepEqual(health[0], { sampled: true, tags: ['sampler.type', 'lowerbound', 'sampler.param', 0] }, 'the lower bound lets one through');
    assert.ok(health.slice(1).every((d) => !d.sampled), 'then rate 0 holds until the bound refills');
    assert.deepEqual(health[1]!.tags, ['sampler.type', 'probabilistic', 'sampler.param', 0]);

    let sampled = 0;
    for (let i = 0; i < 2000; i++) if (sampler.isSampled('GET /other', randomTrace()).sampled) sampled++;
    assert.ok(sampled > 850 && sampled < 1150, `default probability 0.5 sampled ${sampled} of 2000`);
  });

  test('a lower bound of 0 adds nothing', () => {
    const sampler = new PerOperationSampler({ defaultSamplingProbability: 0, defaultLowerBoundTracesPerSecond: 0, perOperationStrategies: [] });
    assert.equal(sampler.isSampled('op', randomTrace()).sampled, false);
  });

  test('the number of operations tracked is bounded; others share the default probability', () => {
    const sampler = new PerOperationSampler({ defaultSamplingProbability: 1, defaultLowerBoundTracesPerSecond: 1, perOperationStrategies: [] }, 3);
    for (let i = 0; i < 50; i++) assert.equal(sampler.isSampled(`GET /users/${i}`, randomTrace()).sampled, true);
    assert.equal(sampler.operationCount, 3);
  });
});
