import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConstSampler } from '../../../src/sampling/const.js';
import { ProbabilisticSampler } from '../../../src/sampling/probabilistic.js';
import { RateLimiter, RateLimitingSampler } from '../../../src/sampling/rate-limiting.js';
import { randomWord } from '../../../src/tracer/ids.js';

const randomTrace = (): number[] => [randomWord(), randomWord(), randomWord(), randomWord()];

describe('ConstSampler', () => {
  test('samples all or nothing, with Jaeger tags', () => {
    assert.equal(new ConstSampler(true).isSampled().sampled, true);
    assert.equal(new ConstSampler(false).isSampled().sampled, false);
    assert.deepEqual(new ConstSampler(true).isSampled().tags, ['sampler.type', 'const', 'sampler.param', true]);
  });
});

describe('ProbabilisticSampler', () => {
  test('is deterministic on the trace id: the same id gets the same decision', () => {
    const a = new ProbabilisticSampler(0.3);
    const b = new ProbabilisticSampler(0.3);
    for (let i = 0; i < 1000; i++) {
      const trace = randomTrace();
      assert.equal(a.isSampled('op', trace).sampled, b.isSampled('other op', trace).sampled);
    }
  });

  test('decides on the low 64 bits against rate * 2^63, as Jaeger does', () => {
    const half = new ProbabilisticSampler(0.5);
    // low 64 bits = 0x3fffffff_ffffffff < 2^62 = 0.5 * 2^63 → sampled
    assert.equal(half.isSampled('op', [0, 0, 0x3fffffff, -1]).sampled, true);
    // low 64 bits = 0x40000000_00000000 = 2^62 → not sampled
    assert.equal(half.isSampled('op', [0, 0, 0x40000000, 0]).sampled, false);
    // the sign bit is ignored, as Jaeger masks it
    assert.equal(half.isSampled('op', [0, 0, 0x80000001 | 0, 0]).sampled, true);
  });

  test('samples close to the configured fraction', () => {
    const sampler = new ProbabilisticSampler(0.25);
    let sampled = 0;
    for (let i = 0; i < 40_000; i++) if (sampler.isSampled('op', randomTrace()).sampled) sampled++;
    assert.ok(Math.abs(sampled / 40_000 - 0.25) < 0.02, `sampled fraction ${sampled / 40_000}`);
  });

  test('rate 0 samples nothing and rate 1 everything; invalid rates throw', () => {
    const none = new ProbabilisticSampler(0);
    const all = new ProbabilisticSampler(1);
    for (let i = 0; i < 1000; i++) {
      const trace = randomTrace();
      assert.equal(none.isSampled('op', trace).sampled, false);
      assert.equal(all.isSampled('op', trace).sampled, true);
    }
    assert.deepEqual(all.isSampled('op', randomTrace()).tags, ['sampler.type', 'probabilistic', 'sampler.param', 1]);
    assert.throws(() => new ProbabilisticSampler(1.5), RangeError);
    assert.throws(() => new ProbabilisticSampler(Number.NaN), RangeError);
  });
});

describe('RateLimitingSampler', () => {
  test('allows a burst of max(1, rate) then refills at the rate', async () => {
    const sampler = new RateLimitingSampler(5);
    let burst = 0;
    for (let i = 0; i < 100; i++) if (sampler.isSampled().sampled) burst++;
    assert.equal(burst, 5);
    await new Promise((r) => setTimeout(r, 450));
    let refilled = 0;
    for (let i = 0; i < 100; i++) if (sampler.isSampled().sampled) refilled++;
    assert.ok(refilled >= 1 && refilled <= 3, `refilled ${refilled} in ~0.45 s at 5/s`);
    assert.deepEqual(sampler.isSampled().tags, ['sampler.type', 'ratelimiting', 'sampler.param', 5]);
  });

  test('fractional rates still let one trace through per period', async () => {
    const limiter = new RateLimiter(0.5);
    assert.equal(limiter.trySpend(), true);
    assert.equal(limiter.trySpend(), false);
  });

  test('zero traces per second samples nothing; invalid rates throw', () => {
    assert.equal(new RateLimitingSampler(0).isSampled().sampled, false);
    assert.throws(() => new RateLimitingSampler(-1), RangeError);
    assert.throws(() => new RateLimitingSampler(Infinity), RangeError);
  });
});
