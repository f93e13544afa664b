import type { TracerOptions, TracingConfig } from './options.js';

// Before validation: numbers written as strings (as env-driven configs and jaeger-client users
// write them) become numbers, and keys nobody reads are reported with the nearest known name.

type Block = 'config' | 'sampler' | 'reporter' | 'limits' | 'options';

const KNOWN: Record<Block, readonly string[]> = {
  // jaeger-client's keys we do not use (traceId128bit, shareRpcSpan, throttler, ...) are accepted quietly:
  // a config written for jaeger-client works unchanged.
  config: ['serviceName', 'disable', 'tags', 'sampler', 'reporter', 'propagators', 'global', 'limits',
    'traceId128bit', 'shareRpcSpan', 'throttler'],
  sampler: ['type', 'param', 'hostPort', 'host', 'port', 'samplingPath', 'refreshIntervalMs'],
  reporter: ['logSpans', 'agentHost', 'agentPort', 'collectorEndpoint', 'username', 'password', 'flushIntervalMs',
    'exporter', 'otlpEndpoint', 'headers', 'authToken', 'maxQueueSize', 'maxPacketSize', 'agentSocketType', 'timeoutMs'],
  limits: ['maxTagValueLength', 'maxTags', 'maxLogs', 'maxOperationNameLength'],
  options: ['logger', 'reporter', 'sampler', 'tags', 'metrics', 'contextKey', 'baggagePrefix', 'traceId128bit',
    'shareRpcSpan', 'debugThrottler', 'baggageRestrictionManager', 'debugTracesPerSecond'],
};

/** Fields jaeger-client accepted as numeric strings. */
const NUMERIC: Partial<Record<Block, readonly string[]>> = {
  sampler: ['param', 'port', 'refreshIntervalMs'],
  reporter: ['agentPort', 'flushIntervalMs', 'maxQueueSize', 'maxPacketSize'],
  limits: ['maxTagValueLength', 'maxTags', 'maxLogs', 'maxOperationNameLength'],
};

const NUMBER_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[y.length]!;
}

/** The known key closest to `key`, when close enough to be a likely typo. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function unknownKeys(value: Record<string, unknown>, block: Block, path: string, out: string[]): void {
  for (const key of Object.keys(value)) {
    if (KNOWN[block].includes(key)) continue;
    const nearest = nearestKey(key, KNOWN[block]);
    out.push(`${path}${key}${nearest === undefined ? '' : ` (did you mean ${path}${nearest}?)`}`);
  }
}

function withNumbers(value: Record<string, unknown>, block: Block): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of NUMERIC[block] ?? []) {
    const field = value[key];
    if (typeof field === 'string' && NUMBER_TEXT.test(field)) (copy ??= { ...value })[key] = Number(field);
  }
  return copy ?? value;
}

/**
 * The config with numeric strings turned into numbers (a new object where anything changed; the
 * caller's is never modified), and one warning naming every unknown key. Anything that is not an
 * object is passed through for validation to reject.
 */
export function normalizeConfig(config: TracingConfig, options: TracerOptions, warn: (message: string) => void): TracingConfig {
  const unknown: string[] = [];
  if (isRecord(options)) unknownKeys(options, 'options', 'options.', unknown);
  if (!isRecord(config)) {
    report(unknown, warn);
    return config;
  }
  unknownKeys(config, 'config', '', unknown);
  const out: Record<string, unknown> = { ...config };
  for (const block of ['sampler', 'reporter', 'limits'] as const) {
    const value = config[block];
    if (!isRecord(value)) continue;
    unknownKeys(value, block, `${block}.`, unknown);
    out[block] = withNumbers(value, block);
  }
  report(unknown, warn);
  return out as TracingConfig;
}

function report(unknown: readonly string[], warn: (message: string) => void): void {
  if (unknown.length > 0) warn(`ignoring unknown option${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
}
