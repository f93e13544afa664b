import { EXPORTER_NAMES, PROPAGATOR_NAMES, SAMPLER_TYPES } from './options.js';
import type { TracerOptions, TracingConfig } from './options.js';
import type { Logger } from '../tracer/types.js';
import { asText } from '../tracer/arguments.js';

// Programmer errors in explicit options throw at init, naming the option; nothing later throws.

function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? asText(value);
  } catch {
    return asText(value);
  }
}

/** `option` is a path under `config` ('' for config itself), or a full path ('options.logger'). */
function fail(option: string, expected: string, value: unknown): never {
  const path = option === '' ? 'config' : option.startsWith('options') ? option : `config.${option}`;
  throw new TypeError(`opentracing-async-instrumentation: ${path} must be ${expected}, got ${shown(value)}`);
}

function optional<T>(value: T | undefined, option: string, check: (v: T) => boolean, expected: string): void {
  if (value !== undefined && !check(value)) fail(option, expected, value);
}

const isObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
const isRecord = (v: unknown): v is Record<string, unknown> => isObject(v);
const isBool = (v: unknown): boolean => typeof v === 'boolean';
const isString = (v: unknown): boolean => typeof v === 'string';
const isPort = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0 && (v as number) < 65536;
const isPositiveInt = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
const isUrl = (v: unknown): boolean => {
  if (typeof v !== 'string') return false;
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

export function validateConfig(config: TracingConfig): void {
  if (!isObject(config)) fail('', 'an object', config);
  validateTags(config.tags, 'tags');
  optional(config.disable, 'disable', isBool, 'a boolean');
  optional(config.global, 'global', isBool, 'a boolean');
  optional(config.serviceName, 'serviceName', (v) => typeof v === 'string' && v.length > 0, 'a non-empty string');
  optional(config.propagators, 'propagators', Array.isArray, `an array of ${PROPAGATOR_NAMES.join(', ')}`);
  config.propagators?.forEach((name, i) => {
    if (!PROPAGATOR_NAMES.includes(name)) fail(`propagators[${i}]`, `one of ${PROPAGATOR_NAMES.join(', ')}`, name);
  });

  const sampler = config.sampler;
  optional(sampler, 'sampler', isObject, 'an object');
  if (sampler !== undefined) {
    optional(sampler.type, 'sampler.type', (v) => SAMPLER_TYPES.includes(v), `one of ${SAMPLER_TYPES.join(', ')}`);
    const type = sampler.type ?? 'const';
    if (sampler.param !== undefined) {
      if (typeof sampler.param !== 'number' || !Number.isFinite(sampler.param)) fail('sampler.param', 'a finite number', sampler.param);
      if ((type === 'const' || type === 'probabilistic' || type === 'remote') && (sampler.param < 0 || sampler.param > 1)) {
        fail('sampler.param', `between 0 and 1 for a ${type} sampler`, sampler.param);
      }
      if (type === 'ratelimiting' && sampler.param < 0) fail('sampler.param', '>= 0 traces per second', sampler.param);
    }
    optional(sampler.hostPort, 'sampler.hostPort', (v) => typeof v === 'string' && /^[^:\s]+:\d{1,5}$/.test(v), 'a "host:port" string');
    optional(sampler.host, 'sampler.host', isString, 'a string');
    optional(sampler.port, 'sampler.port', isPort, 'a port number (1-65535)');
    optional(sampler.samplingPath, 'sampler.samplingPath', (v) => typeof v === 'string' && v.startsWith('/'), 'a path starting with /');
    optional(sampler.refreshIntervalMs, 'sampler.refreshIntervalMs', isPositiveInt, 'a positive integer (milliseconds)');
  }

  const reporter = config.reporter;
  optional(reporter, 'reporter', isObject, 'an object');
  if (reporter !== undefined) {
    optional(reporter.logSpans, 'reporter.logSpans', isBool, 'a boolean');
    optional(reporter.agentHost, 'reporter.agentHost', (v) => typeof v === 'string' && v.length > 0, 'a host name or address');
    optional(reporter.agentPort, 'reporter.agentPort', isPort, 'a port number (1-65535)');
    optional(reporter.collectorEndpoint, 'reporter.collectorEndpoint', isUrl, 'an http(s) URL');
    optional(reporter.otlpEndpoint, 'reporter.otlpEndpoint', isUrl, 'an http(s) URL');
    optional(reporter.username, 'reporter.username', isString, 'a string');
    optional(reporter.password, 'reporter.password', isString, 'a string');
    optional(reporter.authToken, 'reporter.authToken', isString, 'a string');
    optional(reporter.headers, 'reporter.headers', (v) => isObject(v) && Object.values(v).every(isString), 'an object of strings');
    optional(reporter.flushIntervalMs, 'reporter.flushIntervalMs', isPositiveInt, 'a positive integer (milliseconds)');
    optional(reporter.maxQueueSize, 'reporter.maxQueueSize', isPositiveInt, 'a positive integer');
    optional(reporter.maxPacketSize, 'reporter.maxPacketSize', (v) => Number.isInteger(v) && v >= 1024 && v <= 65000, 'an integer from 1024 to 65000');
    optional(reporter.exporter, 'reporter.exporter',
      (v) => (Array.isArray(v) ? v.length > 0 && v.every((name) => EXPORTER_NAMES.includes(name)) : EXPORTER_NAMES.includes(v as never)),
      `one of ${EXPORTER_NAMES.join(', ')}, or a non-empty list of them`);
  }

  const limits = config.limits;
  optional(limits, 'limits', isObject, 'an object');
  if (limits !== undefined) {
    for (const key of ['maxTagValueLength', 'maxTags', 'maxLogs', 'maxOperationNameLength'] as const) {
      optional(limits[key], `limits.${key}`, isPositiveInt, 'a positive integer');
    }
  }
}

function validateTags(tags: unknown, option: string): void {
  optional(tags, option, isObject, 'an object');
  if (isRecord(tags)) {
    for (const [key, value] of Object.entries(tags)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) fail(`${option}.${key}`, 'a string, number or boolean', value);
    }
  }
}

const hasMethod = (name: string) => (v: unknown): boolean => v !== null && typeof v === 'object' && typeof (v as Record<string, unknown>)[name] === 'function';

/** initTracer's second argument: undefined or null mean none; anything else is checked like config. */
export function validateOptions(options: TracerOptions | null | undefined): TracerOptions {
  if (options === undefined || options === null) return {};
  if (!isObject(options)) fail('options', 'an object', options);
  optional(options.logger, 'options.logger',
    (v) => isRecord(v) && ['info', 'warn', 'error'].every((m) => v[m] === undefined || typeof v[m] === 'function') &&
      ['info', 'warn', 'error'].some((m) => typeof v[m] === 'function'),
    'an object with info, warn and/or error methods');
  optional(options.reporter, 'options.reporter', hasMethod('report'), 'a reporter: an object with a report(span) method');
  optional(options.sampler, 'options.sampler', hasMethod('isSampled'), 'a sampler: an object with an isSampled() method');
  validateTags(options.tags, 'options.tags');
  return options;
}
