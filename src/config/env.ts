import { EXPORTER_NAMES, PROPAGATOR_NAMES } from './options.js';
import type { ExporterName, PropagatorName, SamplerType, TracingConfig } from './options.js';
import type { Logger } from '../tracer/types.js';
import { DEFAULT_PROPAGATORS } from './resolve.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads jaeger-client's `JAEGER_*` variables and OpenTelemetry's `OTEL_*` equivalents. A bad value
 * never throws: it is reported once, naming the variable, and the default applies. Where both
 * families set the same thing, the `JAEGER_*` variable wins (it is the more specific one).
 */
export function configFromEnv(env: Env, logger: Logger): TracingConfig {
  // `outcome` says what is done instead, when it is not simply the default.
  const warn = (name: string, value: string, expected: string, outcome = 'using the default'): void => {
    // Header lists hold API keys: their values are never logged.
    const shown = /HEADERS$/.test(name) ? '(value not shown)' : JSON.stringify(value);
    logger.warn?.(`ignoring ${name}=${shown}: expected ${expected}; ${outcome}`);
  };
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const bool = (name: string): boolean | undefined => {
    const value = read(name);
    if (value === undefined) return undefined;
    if (/^(true|1)$/i.test(value)) return true;
    if (/^(false|0)$/i.test(value)) return false;
    warn(name, value, 'true or false');
    return undefined;
  };
  const number = (name: string, valid: (n: number) => boolean, expected: string): number | undefined => {
    const value = read(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (Number.isFinite(n) && valid(n)) return n;
    warn(name, value, expected);
    return undefined;
  };
  const port = (name: string): number | undefined =>
    number(name, (n) => Number.isInteger(n) && n > 0 && n < 65536, 'a port number (1-65535)');
  const url = (name: string): string | undefined => {
    const value = read(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
    } catch {
      // reported below
    }
    warn(name, value, 'an http(s) URL');
    return undefined;
  };

  const config: TracingConfig = {};
  const sampler: NonNullable<TracingConfig['sampler']> = {};
  const reporter: NonNullable<TracingConfig['reporter']> = {};

  const otelAttributes = keyValueList(read('OTEL_RESOURCE_ATTRIBUTES'), 'OTEL_RESOURCE_ATTRIBUTES', warn);
  const serviceName = read('JAEGER_SERVICE_NAME') ?? read('OTEL_SERVICE_NAME') ?? otelAttributes?.['service.name'];
  if (serviceName !== undefined) config.serviceName = serviceName;

  const disabled = bool('JAEGER_DISABLED') ?? bool('JAEGER_DISABLE') ?? bool('OTEL_SDK_DISABLED');
  if (disabled !== undefined) config.disable = disabled;

  const tags: Record<string, string> = {};
  if (otelAttributes !== undefined) {
    for (const [key, value] of Object.entries(otelAttributes)) if (key !== 'service.name') tags[key] = value;
  }
  Object.assign(tags, jaegerTags(read('JAEGER_TAGS'), env, warn));
  if (Object.keys(tags).length > 0) config.tags = tags;

  // Sampler
  const jaegerType = read('JAEGER_SAMPLER_TYPE');
  if (jaegerType !== undefined) {
    const type = jaegerType === 'lowerbound' ? 'probabilistic' : jaegerType;
    if (['const', 'probabilistic', 'ratelimiting', 'remote'].includes(type)) sampler.type = type as SamplerType;
    else warn('JAEGER_SAMPLER_TYPE', jaegerType, 'const, probabilistic, ratelimiting or remote');
  }
  const otelSampler = read('OTEL_TRACES_SAMPLER');
  if (sampler.type === undefined && otelSampler !== undefined) {
    Object.assign(sampler, otelSamplerConfig(otelSampler, read('OTEL_TRACES_SAMPLER_ARG'), warn));
  }
  if (read('JAEGER_SAMPLER_PARAM') !== undefined) {
    const rateLimit = sampler.type === 'ratelimiting';
    const param = number('JAEGER_SAMPLER_PARAM', (n) => (rateLimit ? n >= 0 : n >= 0 && n <= 1),
      rateLimit ? 'a number of traces per second >= 0' : 'a number from 0 to 1');
    if (param !== undefined) sampler.param = param;
  }
  const managerHostPort = read('JAEGER_SAMPLER_MANAGER_HOST_PORT');
  if (managerHostPort !== undefined) {
    if (/^[^:\s]+:\d{1,5}$/.test(managerHostPort)) sampler.hostPort = managerHostPort;
    else warn('JAEGER_SAMPLER_MANAGER_HOST_PORT', managerHostPort, 'host:port');
  }
  const samplerHost = read('JAEGER_SAMPLER_HOST');
  if (samplerHost !== undefined) sampler.host = samplerHost;
  const samplerPort = port('JAEGER_SAMPLER_PORT');
  if (samplerPort !== undefined) sampler.port = samplerPort;
  const refresh = number('JAEGER_SAMPLER_REFRESH_INTERVAL', (n) => Number.isInteger(n) && n > 0, 'a positive number of milliseconds');
  if (refresh !== undefined) sampler.refreshIntervalMs = refresh;

  // Reporter
  const agentHost = read('JAEGER_AGENT_HOST');
  if (agentHost !== undefined) reporter.agentHost = agentHost;
  const agentPort = port('JAEGER_AGENT_PORT');
  if (agentPort !== undefined) reporter.agentPort = agentPort;
  const endpoint = url('JAEGER_ENDPOINT');
  if (endpoint !== undefined) reporter.collectorEndpoint = endpoint;
  const user = read('JAEGER_USER');
  if (user !== undefined) reporter.username = user;
  const password = env['JAEGER_PASSWORD'];
  if (password !== undefined && password !== '') reporter.password = password;
  const token = read('JAEGER_AUTH_TOKEN');
  if (token !== undefined) reporter.authToken = token;
  const flush = number('JAEGER_REPORTER_FLUSH_INTERVAL', (n) => Number.isInteger(n) && n > 0, 'a positive number of milliseconds');
  if (flush !== undefined) reporter.flushIntervalMs = flush;
  const logSpans = bool('JAEGER_REPORTER_LOG_SPANS');
  if (logSpans !== undefined) reporter.logSpans = logSpans;
  const maxQueue = number('JAEGER_REPORTER_MAX_QUEUE_SIZE', (n) => Number.isInteger(n) && n > 0, 'a positive integer');
  if (maxQueue !== undefined) reporter.maxQueueSize = maxQueue;

  const otlpEndpoint = url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? otlpBase(url('OTEL_EXPORTER_OTLP_ENDPOINT'));
  if (otlpEndpoint !== undefined) reporter.otlpEndpoint = otlpEndpoint;
  const headers = keyValueList(read('OTEL_EXPORTER_OTLP_TRACES_HEADERS') ?? read('OTEL_EXPORTER_OTLP_HEADERS'),
    env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'] ? 'OTEL_EXPORTER_OTLP_TRACES_HEADERS' : 'OTEL_EXPORTER_OTLP_HEADERS', warn);
  if (headers !== undefined) reporter.headers = headers;

  const exporter = otelExporter(read('OTEL_TRACES_EXPORTER'), read('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? read('OTEL_EXPORTER_OTLP_PROTOCOL'), warn);
  if (exporter !== undefined) reporter.exporter = exporter;

  const propagators = otelPropagators(read('OTEL_PROPAGATORS'), warn);
  if (propagators !== undefined) config.propagators = propagators;

  if (Object.keys(sampler).length > 0) config.sampler = sampler;
  if (Object.keys(reporter).length > 0) config.reporter = reporter;
  return config;
}

type Warn = (name: string, value: string, expected: string, outcome?: string) => void;

function otlpBase(base: string | undefined): string | undefined {
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** `k=v,k2=v2` with percent-encoded values (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS). */
function keyValueList(value: string | undefined, name: string, warn: Warn): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, string> = {};
  const skipped: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (key === '') {
      if (part.trim() !== '') skipped.push(part.trim());
      continue;
    }
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      skipped.push(key);
    }
  }
  // One warning for the whole variable; values are not repeated (headers may hold secrets).
  if (skipped.length > 0) {
    warn(name, value, 'comma-separated key=value pairs with percent-encoded values',
      `skipping ${skipped.length} malformed ${skipped.length === 1 ? 'item' : 'items'}, keeping ${Object.keys(out).length}`);
  }
  return out;
}

/** jaeger-client's JAEGER_TAGS: `k=v,k2=${ENV_VAR:default}`. */
function jaegerTags(value: string | undefined, env: Env, warn: Warn): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  const skipped: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      if (part.trim() !== '') skipped.push(part.trim());
      continue;
    }
    const key = part.slice(0, eq).trim();
    let tagValue = part.slice(eq + 1).trim();
    const ref = /^\$\{([^:}]+)(?::([^}]*))?\}$/.exec(tagValue);
    if (ref !== null) tagValue = env[ref[1]!] ?? ref[2] ?? '';
    out[key] = tagValue;
  }
  if (skipped.length > 0) {
    const kept = Object.keys(out);
    warn('JAEGER_TAGS', value, 'comma-separated key=value pairs',
      `skipping ${skipped.map((s) => JSON.stringify(s)).join(', ')}${kept.length > 0 ? `, keeping ${kept.join(', ')}` : ''}`);
  }
  return out;
}

function otelSamplerConfig(name: string, arg: string | undefined, warn: Warn): TracingConfig['sampler'] {
  const ratio = (): number => {
    if (arg === undefined) return 1;
    const n = Number(arg);
    if (Number.isFinite(n) && n >= 0 && n <= 1) return n;
    warn('OTEL_TRACES_SAMPLER_ARG', arg, 'a number from 0 to 1');
    return 1;
  };
  // Children always follow their parent here, so the parentbased_ variants mean the same.
  switch (name.replace(/^parentbased_/, '')) {
    case 'always_on':
      return { type: 'const', param: 1 };
    case 'always_off':
      return { type: 'const', param: 0 };
    case 'traceidratio':
      return { type: 'probabilistic', param: ratio() };
    case 'jaeger_remote':
      return remoteFromArg(arg, warn);
    default:
      warn('OTEL_TRACES_SAMPLER', name, 'always_on, always_off, traceidratio, jaeger_remote or a parentbased_ variant');
      return {};
  }
}

/** `endpoint=http://host:5778,pollingIntervalMs=5000,initialSamplingRate=0.25`. */
function remoteFromArg(arg: string | undefined, warn: Warn): TracingConfig['sampler'] {
  const sampler: NonNullable<TracingConfig['sampler']> = { type: 'remote' };
  const values = keyValueList(arg, 'OTEL_TRACES_SAMPLER_ARG', warn) ?? {};
  if (values['endpoint'] !== undefined) {
    try {
      const url = new URL(values['endpoint']);
      sampler.hostPort = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    } catch {
      warn('OTEL_TRACES_SAMPLER_ARG', arg ?? '', 'endpoint=<http URL>');
    }
  }
  const interval = Number(values['pollingIntervalMs']);
  if (Number.isInteger(interval) && interval > 0) sampler.refreshIntervalMs = interval;
  const rate = Number(values['initialSamplingRate']);
  if (values['initialSamplingRate'] !== undefined && rate >= 0 && rate <= 1) sampler.param = rate;
  return sampler;
}

/** OTEL_TRACES_EXPORTER is a list (the spec allows several): each one listed gets every span. */
function otelExporter(name: string | undefined, protocol: string | undefined, warn: Warn): ExporterName | ExporterName[] | undefined {
  const otlp = protocol === 'http/json' ? 'otlp-json' : 'otlp';
  if (protocol !== undefined && protocol !== 'http/json' && protocol !== 'http/protobuf') {
    warn(process.env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL',
      protocol, 'http/protobuf or http/json (grpc is not supported)');
  }
  if (name === undefined) return protocol === 'http/json' ? 'otlp-json' : undefined;
  const names: ExporterName[] = [];
  const unknown: string[] = [];
  for (const raw of name.split(',')) {
    const item = raw.trim();
    const exporter = item === 'otlp' ? otlp : item === 'jaeger' ? 'jaeger-udp' : item;
    if ((EXPORTER_NAMES as readonly string[]).includes(exporter)) {
      if (!names.includes(exporter as ExporterName)) names.push(exporter as ExporterName);
    } else if (item !== '') {
      unknown.push(item);
    }
  }
  // `none` beside real exporters means nothing: drop it.
  const chosen = names.length > 1 ? names.filter((n) => n !== 'none') : names;
  if (unknown.length > 0) {
    warn('OTEL_TRACES_EXPORTER', name, 'a list of otlp, console, none or jaeger',
      chosen.length > 0 ? `skipping ${unknown.join(', ')}, using ${chosen.join(', ')}` : 'using the default');
  }
  if (chosen.length === 0) return undefined;
  return chosen.length === 1 ? chosen[0] : chosen;
}

function otelPropagators(value: string | undefined, warn: Warn): PropagatorName[] | undefined {
  if (value === undefined) return undefined;
  const names: PropagatorName[] = [];
  const unknown: string[] = [];
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === 'none') return [];
    if ((PROPAGATOR_NAMES as readonly string[]).includes(name)) {
      if (!names.includes(name as PropagatorName)) names.push(name as PropagatorName);
    } else if (name !== '') {
      unknown.push(name);
    }
  }
  if (unknown.length === 0) return names;
  // Propagation is never switched off by a typo: with nothing valid left, the default applies.
  const outcome = names.length > 0
    ? `skipping ${unknown.join(', ')}, using ${names.join(', ')}`
    : `skipping ${unknown.join(', ')}, using the default (${DEFAULT_PROPAGATORS.join(', ')})`;
  warn('OTEL_PROPAGATORS', value, `a list of ${PROPAGATOR_NAMES.join(', ')} or none`, outcome);
  return names.length > 0 ? names : undefined;
}
