// Documents as Jaeger serves them: api_v2 JSON with enum names, the agent's legacy Thrift JSON with
// enum numbers, and proto3 JSON where zero values are left out.
export const DOCUMENTS = {
  probabilistic: { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0.25 } },
  probabilisticLegacy: { strategyType: 0, probabilisticSampling: { samplingRate: 1 } },
  probabilisticProto3: { probabilisticSampling: { samplingRate: 1 } },
  rateLimiting: { strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 2 } },
  rateLimitingLegacy: { strategyType: 1, rateLimitingSampling: { maxTracesPerSecond: 5 } },
  perOperation: {
    strategyType: 'PROBABILISTIC',
    probabilisticSampling: { samplingRate: 0.5 },
    operationSampling: {
      defaultSamplingProbability: 0.5,
      defaultLowerBoundTracesPerSecond: 1,
      perOperationStrategies: [
        { operation: 'GET /health', probabilisticSampling: { samplingRate: 0 } },
        { operation: 'POST /orders', probabilisticSampling: { samplingRate: 1 } },
      ],
      defaultUpperBoundTracesPerSecond: 0,
    },
  },
} as const;

export const MALFORMED: readonly [string, string][] = [
  ['not JSON', 'not json {'],
  ['a list', '[]'],
  ['null', 'null'],
  ['probabilistic without its object', '{"strategyType":"PROBABILISTIC"}'],
  ['rate as a string', '{"strategyType":"PROBABILISTIC","probabilisticSampling":{"samplingRate":"0.5"}}'],
  ['negative rate', '{"strategyType":"PROBABILISTIC","probabilisticSampling":{"samplingRate":-0.1}}'],
  ['rate above 1', '{"strategyType":"PROBABILISTIC","probabilisticSampling":{"samplingRate":1.5}}'],
  ['infinite rate', '{"probabilisticSampling":{"samplingRate":1e999}}'],
  ['null rate', '{"probabilisticSampling":{"samplingRate":null}}'],
  ['negative traces per second', '{"strategyType":"RATE_LIMITING","rateLimitingSampling":{"maxTracesPerSecond":-3}}'],
  ['rate limiting without its object', '{"strategyType":"RATE_LIMITING"}'],
  ['unknown strategy type', '{"strategyType":"ADAPTIVE","probabilisticSampling":{"samplingRate":1}}'],
  ['per-operation list not a list', '{"operationSampling":{"defaultSamplingProbability":1,"perOperationStrategies":{}}}'],
  ['operation without a name', '{"operationSampling":{"defaultSamplingProbability":1,"perOperationStrategies":[{"probabilisticSampling":{"samplingRate":1}}]}}'],
  ['operation rate out of range', '{"operationSampling":{"defaultSamplingProbability":1,"perOperationStrategies":[{"operation":"a","probabilisticSampling":{"samplingRate":7}}]}}'],
  ['default probability as a string', '{"operationSampling":{"defaultSamplingProbability":"all"}}'],
  ['lower bound negative', '{"operationSampling":{"defaultSamplingProbability":1,"defaultLowerBoundTracesPerSecond":-1}}'],
];
