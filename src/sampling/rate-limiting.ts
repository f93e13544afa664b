import type { Sampler, SamplingDecision } from '../tracer/types.js';
import { nowMs } from '../tracer/clock.js';

/** Token bucket: at most `tracesPerSecond` new traces a second, bursts up to max(1, rate). */
export class RateLimiter {
  private balance: number;
  private last: number;
  private readonly maxBalance: number;

  constructor(readonly creditsPerSecond: number, initialBalance?: number) {
    this.maxBalance = Math.max(creditsPerSecond, 1);
    this.balance = initialBalance ?? this.maxBalance;
    this.last = nowMs();
  }

  trySpend(cost = 1): boolean {
    const now = nowMs();
    const elapsed = now - this.last;
    this.last = now;
    this.balance = Math.min(this.maxBalance, this.balance + (elapsed * this.creditsPerSecond) / 1000);
    if (this.balance >= cost) {
      this.balance -= cost;
      return true;
    }
    return false;
  }
}

export class RateLimitingSampler implements Sampler {
  private readonly limiter: RateLimiter;
  private readonly yes: SamplingDecision;
  private readonly no: SamplingDecision;

  /** `initialBalance`: traces that may start at once (default a full bucket, max(1, rate)). */
  constructor(readonly tracesPerSecond: number, initialBalance?: number) {
    if (!(tracesPerSecond >= 0) || !Number.isFinite(tracesPerSecond)) {
      throw new RangeError(`traces per second must be a finite number >= 0, got ${tracesPerSecond}`);
    }
    this.limiter = new RateLimiter(tracesPerSecond, initialBalance);
    const tags = Object.freeze(['sampler.type', 'ratelimiting', 'sampler.param', tracesPerSecond]);
    this.yes = Object.freeze({ sampled: true, tags });
    this.no = Object.freeze({ sampled: false, tags });
  }

  isSampled(): SamplingDecision {
    return this.tracesPerSecond > 0 && this.limiter.trySpend() ? this.yes : this.no;
  }
}
