import type { Logger, Sampler, SamplingDecision } from '../tracer/types.js';

export interface RemoteSamplerOptions {
  serviceName: string;
  /** `http://host:port/sampling`; `?service=NAME` is appended. */
  samplingUrl: string;
  refreshIntervalMs: number;
  /** Applies until the first valid strategy arrives, and whenever polling fails. */
  initialSampler: Sampler;
  logger: Logger;
}

// PLACEHOLDER until the reporting issue: delegates to the initial sampler, polls nothing.
export class RemoteSampler implements Sampler {
  constructor(private readonly options: RemoteSamplerOptions) {}

  isSampled(operationName: string, traceWords: readonly number[]): SamplingDecision {
    return this.options.initialSampler.isSampled(operationName, traceWords);
  }

  close(): void {}
}
