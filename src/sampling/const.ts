import type { Sampler, SamplingDecision } from '../tracer/types.js';

/** Samples every trace (`param` 1) or none (`param` 0). */
export class ConstSampler implements Sampler {
  readonly decision: SamplingDecision;
  constructor(readonly sampleAll: boolean) {
    this.decision = Object.freeze({
      sampled: sampleAll,
      tags: Object.freeze(['sampler.type', 'const', 'sampler.param', sampleAll]),
    });
  }

  isSampled(): SamplingDecision {
    return this.decision;
  }
}
