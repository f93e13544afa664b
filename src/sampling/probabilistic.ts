import type { Sampler, SamplingDecision } from '../tracer/types.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_63 = 9223372036854775808;

/**
 * Samples a fixed fraction of traces, decided on the trace id as Jaeger does: every service that
 * sees the same trace id with the same rate makes the same decision.
 */
export class ProbabilisticSampler implements Sampler {
  private readonly boundary: number;
  private readonly yes: SamplingDecision;
  private readonly no: SamplingDecision;

  constructor(readonly rate: number) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`sampling rate must be between 0 and 1, got ${rate}`);
    this.boundary = rate * TWO_POW_63;
    const tags = Object.freeze(['sampler.type', 'probabilistic', 'sampler.param', rate]);
    this.yes = Object.freeze({ sampled: true, tags });
    this.no = Object.freeze({ sampled: false, tags });
  }

  isSampled(_operationName: string, traceWords: readonly number[]): SamplingDecision {
    // The low 64 bits of the trace id, sign bit cleared, compared with rate * 2^63.
    const low63 = (traceWords[2]! & 0x7fffffff) * TWO_POW_32 + (traceWords[3]! >>> 0);
    return low63 < this.boundary || this.rate === 1 ? this.yes : this.no;
  }
}
