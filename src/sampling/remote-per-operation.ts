import type { Sampler, SamplingDecision } from '../tracer/types.js';
import { ProbabilisticSampler } from './probabilistic.js';
import { RateLimiter } from './rate-limiting.js';

export interface OperationRate {
  operation: string;
  samplingRate: number;
}

export interface PerOperationStrategy {
  defaultSamplingProbability: number;
  /** Each operation is sampled at least this often (traces per second), whatever its rate. */
  defaultLowerBoundTracesPerSecond: number;
  perOperationStrategies: readonly OperationRate[];
}

/**
 * Jaeger's guaranteed-throughput sampler for one operation: probabilistic, plus a rate limiter
 * that lets an operation through now and then even when its probability is tiny. The limiter is
 * charged on every decision, as Jaeger's is, so it only adds traces the probability missed.
 */
class GuaranteedThroughputSampler implements Sampler {
  private readonly probabilistic: ProbabilisticSampler;
  private readonly lowerBound: RateLimiter | null;
  private readonly lowerBoundDecision: SamplingDecision;

  constructor(samplingRate: number, lowerBoundPerSecond: number) {
    this.probabilistic = new ProbabilisticSampler(samplingRate);
    // Jaeger's limiter starts with one credit even at rate 0; a bound of 0 here means none.
    this.lowerBound = lowerBoundPerSecond > 0 ? new RateLimiter(lowerBoundPerSecond) : null;
    this.lowerBoundDecision = Object.freeze({
      sampled: true,
      tags: Object.freeze(['sampler.type', 'lowerbound', 'sampler.param', samplingRate]),
    });
  }

  isSampled(operationName: string, traceWords: readonly number[]): SamplingDecision {
    const decision = this.probabilistic.isSampled(operationName, traceWords);
    const credit = this.lowerBound !== null && this.lowerBound.trySpend();
    return decision.sampled || !credit ? decision : this.lowerBoundDecision;
  }
}

/**
 * Per-operation sampling as a Jaeger sampling manager serves it. Operations not in the strategy
 * get the default probability and lower bound; past `maxOperations` distinct names (root span
 * names can be unbounded, e.g. URLs with ids) new names share the default probability alone.
 */
export class PerOperationSampler implements Sampler {
  private readonly byOperation = new Map<string, GuaranteedThroughputSampler>();
  private readonly fallback: ProbabilisticSampler;

  constructor(private readonly strategy: PerOperationStrategy, private readonly maxOperations = 2000) {
    this.fallback = new ProbabilisticSampler(strategy.defaultSamplingProbability);
    for (const { operation, samplingRate } of strategy.perOperationStrategies) {
      if (this.byOperation.size >= maxOperations) break;
      this.byOperation.set(operation, new GuaranteedThroughputSampler(samplingRate, strategy.defaultLowerBoundTracesPerSecond));
    }
  }

  isSampled(operationName: string, traceWords: readonly number[]): SamplingDecision {
    let sampler = this.byOperation.get(operationName);
    if (sampler === undefined) {
      if (this.byOperation.size >= this.maxOperations) return this.fallback.isSampled(operationName, traceWords);
      sampler = new GuaranteedThroughputSampler(this.strategy.defaultSamplingProbability, this.strategy.defaultLowerBoundTracesPerSecond);
      this.byOperation.set(operationName, sampler);
    }
    return sampler.isSampled(operationName, traceWords);
  }

  /** Distinct operations with their own sampler (at most `maxOperations`). */
  get operationCount(): number {
    return this.byOperation.size;
  }
}
