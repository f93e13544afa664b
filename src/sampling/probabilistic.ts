import type { Sampler, SamplingDecision } from '../tracer/types.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_63 = 9223372036854775808;

/**
 * Samples a fixed fraction of traces, decided on the trace id as Jaeger does: every service that
 * sees the same trace id with the same rate makes the same decision.
 */
export class ProbabilisticSampler implements Sampler {
  // rate * 2^63 split into 32-bit halves, so the comparison is exact (a double would round).
  private readonly boundaryHi: number;
  private readonly boundaryLo: number;
  private readonly yes: SamplingDecision;
  private readonly no: SamplingDecision;

  constructor(readonly rate: number) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`sampling rate must be between 0 and 1, got ${rate}`);
    const boundary = Math.floor(rate * TWO_POW_63);
    this.boundaryHi = Math.floor(boundary / TWO_POW_32);
    this.boundaryLo = boundary - this.boundaryHi * TWO_POW_32;
    const tags = Object.freeze(['sampler.type', 'probabilistic', 'sampler.param', rate]);
    this.yes = Object.freeze({ sampled: true, tags });
    this.no = Object.freeze({ sampled: false, tags });
  }

  isSampled(_operationName: string, traceWords: readonly number[]): SamplingDecision {
    // The low 64 bits of the trace id, sign bit cleared, compared with rate * 2^63.
    const hi = traceWords[2]! & 0x7fffffff;
    const below = hi < this.boundaryHi || (hi === this.boundaryHi && traceWords[3]! >>> 0 < this.boundaryLo);
    return below || this.rate === 1 ? this.yes : this.no;
  }
}
