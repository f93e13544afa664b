// Jaeger's sampling strategy documents (GET /sampling?service=NAME on the agent, collector or
// Jaeger v2's remote sampling extension), validated into one of three strategies. Enum values come
// as names ("PROBABILISTIC") or numbers (0); in proto3 JSON a zero value may be left out.
import type { Sampler } from '../tracer/types.js';
import { ProbabilisticSampler } from './probabilistic.js';
import { RateLimitingSampler } from './rate-limiting.js';
import { PerOperationSampler } from './remote-per-operation.js';
import type { OperationRate, PerOperationStrategy } from './remote-per-operation.js';

export type SamplingStrategy =
  | { type: 'probabilistic'; samplingRate: number }
  | { type: 'ratelimiting'; maxTracesPerSecond: number }
  | ({ type: 'per-operation' } & PerOperationStrategy);

class InvalidStrategy extends Error {}

function objectAt(parent: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidStrategy(`${key} is not an object`);
  return value as Record<string, unknown>;
}

/** A number field; absent means 0 (the proto3 default), null is refused. */
function numberAt(parent: Record<string, unknown>, key: string, max = Infinity): number {
  const value = parent[key] === undefined ? 0 : parent[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new InvalidStrategy(`${key} must be a number from 0 to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function strategyType(document: Record<string, unknown>): 'PROBABILISTIC' | 'RATE_LIMITING' {
  const type = document['strategyType'] ?? 0;
  if (type === 'PROBABILISTIC' || type === 0) return 'PROBABILISTIC';
  if (type === 'RATE_LIMITING' || type === 1) return 'RATE_LIMITING';
  throw new InvalidStrategy(`unknown strategyType ${JSON.stringify(type)}`);
}

function operations(strategy: Record<string, unknown>): OperationRate[] {
  const list = strategy['perOperationStrategies'] ?? [];
  if (!Array.isArray(list)) throw new InvalidStrategy('perOperationStrategies is not a list');
  return list.map((entry: unknown) => {
    if (entry === null || typeof entry !== 'object') throw new InvalidStrategy('a per-operation strategy is not an object');
    const operation = (entry as Record<string, unknown>)['operation'];
    if (typeof operation !== 'string') throw new InvalidStrategy('a per-operation strategy has no operation name');
    const probabilistic = objectAt(entry as Record<string, unknown>, 'probabilisticSampling');
    if (probabilistic === undefined) throw new InvalidStrategy(`operation ${JSON.stringify(operation)} has no probabilisticSampling`);
    return { operation, samplingRate: numberAt(probabilistic, 'samplingRate', 1) };
  });
}

/** The strategy a document describes, or an Error saying what is wrong with it. */
export function parseStrategy(document: unknown): SamplingStrategy | Error {
  try {
    if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new InvalidStrategy('not a JSON object');
    const root = document as Record<string, unknown>;
    const perOperation = objectAt(root, 'operationSampling');
    if (perOperation !== undefined) {
      return {
        type: 'per-operation',
        defaultSamplingProbability: numberAt(perOperation, 'defaultSamplingProbability', 1),
        defaultLowerBoundTracesPerSecond: numberAt(perOperation, 'defaultLowerBoundTracesPerSecond'),
        perOperationStrategies: operations(perOperation),
      };
    }
    if (strategyType(root) === 'RATE_LIMITING') {
      const rateLimiting = objectAt(root, 'rateLimitingSampling');
      if (rateLimiting === undefined) throw new InvalidStrategy('RATE_LIMITING without rateLimitingSampling');
      return { type: 'ratelimiting', maxTracesPerSecond: numberAt(rateLimiting, 'maxTracesPerSecond') };
    }
    const probabilistic = objectAt(root, 'probabilisticSampling');
    if (probabilistic === undefined) throw new InvalidStrategy('PROBABILISTIC without probabilisticSampling');
    return { type: 'probabilistic', samplingRate: numberAt(probabilistic, 'samplingRate', 1) };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function samplerFor(strategy: SamplingStrategy, maxOperations: number): Sampler {
  switch (strategy.type) {
    case 'probabilistic':
      return new ProbabilisticSampler(strategy.samplingRate);
    case 'ratelimiting':
      return new RateLimitingSampler(strategy.maxTracesPerSecond);
    case 'per-operation':
      return new PerOperationSampler(strategy, maxOperations);
  }
}
