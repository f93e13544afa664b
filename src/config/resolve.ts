import { hostname, networkInterfaces } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DEFAULT_SPAN_LIMITS } from '../tracer/types.js';
import type { SpanLimits } from '../tracer/types.js';
import { LIBRARY_NAME, VERSION } from '../version.js';
import type { ExporterName, PropagatorName, SamplerType, TracingConfig } from './options.js';

export interface ResolvedSamplerConfig {
  type: SamplerType;
  /** const: 0/1; probabilistic: rate; ratelimiting: traces per second; remote: initial rate. */
  param: number;
  /** Remote sampler: `http://host:port/path` without the query. */
  samplingUrl: string;
  refreshIntervalMs: number;
}

export interface ResolvedReporterConfig {
  exporter: ExporterName;
  /** More exporters that get every span too (a list in `reporter.exporter`). */
  alsoExportTo: ExporterName[];
  /** Also print finished traces to stderr (jaeger-client's logSpans). */
  logSpans: boolean;
  agentHost: string;
  agentPort: number;
  /** Neither an exporter nor an agent address was configured: spans go to the default UDP agent. */
  defaultAgent: boolean;
  collectorEndpoint: string | undefined;
  username: string | undefined;
  password: string | undefined;
  authToken: string | undefined;
  otlpEndpoint: string;
  headers: Record<string, string>;
  flushIntervalMs: number;
  maxQueueSize: number;
  maxPacketSize: number;
}

export interface ResolvedConfig {
  serviceName: string;
  disable: boolean;
  global: boolean;
  /** Process tags: defaults (hostname, ip, client-uuid, jaeger.version) under the user's. */
  tags: Record<string, string | number | boolean>;
  sampler: ResolvedSamplerConfig;
  reporter: ResolvedReporterConfig;
  propagators: PropagatorName[];
  limits: SpanLimits;
}

export const DEFAULT_PROPAGATORS: readonly PropagatorName[] = ['jaeger', 'tracecontext', 'baggage'];

/** Layers `override` over `base` one level deep (sampler, reporter, tags, limits are merged). */
export function mergeConfig(base: TracingConfig, override: TracingConfig): TracingConfig {
  const merged: TracingConfig = { ...base, ...override };
  if (base.sampler !== undefined || override.sampler !== undefined) {
    // An explicit sampler type replaces the whole env sampler block: its param means something else.
    merged.sampler = override.sampler?.type !== undefined && override.sampler.type !== base.sampler?.type
      ? { ...override.sampler }
      : { ...base.sampler, ...override.sampler };
  }
  if (base.reporter !== undefined || override.reporter !== undefined) merged.reporter = { ...base.reporter, ...override.reporter };
  if (base.tags !== undefined || override.tags !== undefined) merged.tags = { ...base.tags, ...override.tags };
  if (base.limits !== undefined || override.limits !== undefined) merged.limits = { ...base.limits, ...override.limits };
  return merged;
}

function firstIpv4(): string | undefined {
  try {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  } catch {
    // some sandboxes forbid reading interfaces
  }
  return undefined;
}

export function defaultProcessTags(): Record<string, string> {
  const tags: Record<string, string> = {
    hostname: hostname(),
    'client-uuid': randomUUID(),
    'jaeger.version': `${LIBRARY_NAME}-Node-${VERSION}`,
  };
  const ip = firstIpv4();
  if (ip !== undefined) tags['ip'] = ip;
  return tags;
}

/** Fills in every default. Expects a config that passed `validateConfig`. */
export function resolveConfig(config: TracingConfig): ResolvedConfig {
  const sampler = config.sampler ?? {};
  const reporter = config.reporter ?? {};
  const type = sampler.type ?? 'const';
  const managerHostPort = sampler.hostPort ?? `${sampler.host ?? '127.0.0.1'}:${sampler.port ?? 5778}`;
  const listed = typeof reporter.exporter === 'string' ? [reporter.exporter] : [...new Set(reporter.exporter ?? [])];
  const exporters = listed.length > 1 ? listed.filter((name) => name !== 'none') : listed;
  const exporter: ExporterName = exporters[0] ??
    (reporter.collectorEndpoint !== undefined ? 'jaeger-http' : reporter.otlpEndpoint !== undefined ? 'otlp'
      // jaeger-client sends binary Thrift, to 6832 by default: a config naming that port keeps working.
      : reporter.agentPort === 6832 ? 'jaeger-udp-binary' : 'jaeger-udp');
  return {
    serviceName: config.serviceName ?? 'unknown_service:node',
    disable: config.disable ?? false,
    global: config.global ?? true,
    tags: { ...defaultProcessTags(), ...config.tags },
    sampler: {
      type,
      param: sampler.param ?? (type === 'remote' ? 0.001 : 1),
      samplingUrl: `http://${managerHostPort}${sampler.samplingPath ?? '/sampling'}`,
      refreshIntervalMs: sampler.refreshIntervalMs ?? 60_000,
    },
    reporter: {
      exporter,
      alsoExportTo: exporters.slice(1),
      logSpans: reporter.logSpans ?? false,
      agentHost: reporter.agentHost ?? '127.0.0.1',
      agentPort: reporter.agentPort ?? (exporter === 'jaeger-udp-binary' ? 6832 : 6831),
      defaultAgent: exporters.length === 0 && exporter === 'jaeger-udp' && reporter.agentHost === undefined && reporter.agentPort === undefined,
      collectorEndpoint: reporter.collectorEndpoint,
      username: reporter.username,
      password: reporter.password,
      authToken: reporter.authToken,
      otlpEndpoint: reporter.otlpEndpoint ?? 'http://localhost:4318/v1/traces',
      headers: { ...reporter.headers },
      flushIntervalMs: reporter.flushIntervalMs ?? 1000,
      maxQueueSize: reporter.maxQueueSize ?? 10_000,
      maxPacketSize: reporter.maxPacketSize ?? 65_000,
    },
    propagators: [...(config.propagators ?? DEFAULT_PROPAGATORS)],
    limits: { ...DEFAULT_SPAN_LIMITS, ...config.limits },
  };
}
