import type { Logger, Sampler } from '../tracer/types.js';
import type { ResolvedSamplerConfig } from '../config/resolve.js';
import { ConstSampler } from './const.js';
import { ProbabilisticSampler } from './probabilistic.js';
import { RateLimitingSampler } from './rate-limiting.js';
import { RemoteSampler } from './remote.js';
import type { PollOutcome } from './remote.js';

export function createSampler(config: ResolvedSamplerConfig, serviceName: string, logger: Logger, onPoll?: (outcome: PollOutcome) => void): Sampler {
  switch (config.type) {
    case 'const':
      return new ConstSampler(config.param !== 0);
    case 'probabilistic':
      return new ProbabilisticSampler(config.param);
    case 'ratelimiting':
      return new RateLimitingSampler(config.param);
    case 'remote':
      return new RemoteSampler({
        serviceName,
        samplingUrl: config.samplingUrl,
        refreshIntervalMs: config.refreshIntervalMs,
        initialSampler: new ProbabilisticSampler(config.param),
        logger,
        onPoll,
      });
  }
}
