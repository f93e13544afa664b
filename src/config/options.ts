import type { Logger, Reporter, Sampler, SpanLimits } from '../tracer/types.js';
import type { JaegerClientOptions } from '../jaeger-client/options.js';

export type SamplerType = 'const' | 'probabilistic' | 'ratelimiting' | 'remote';
export type PropagatorName = 'tracecontext' | 'baggage' | 'jaeger' | 'b3' | 'b3multi';
export type ExporterName = 'jaeger-udp' | 'jaeger-udp-binary' | 'jaeger-http' | 'otlp' | 'otlp-json' | 'console' | 'none';

export const SAMPLER_TYPES: readonly SamplerType[] = ['const', 'probabilistic', 'ratelimiting', 'remote'];
export const PROPAGATOR_NAMES: readonly PropagatorName[] = ['tracecontext', 'baggage', 'jaeger', 'b3', 'b3multi'];
export const EXPORTER_NAMES: readonly ExporterName[] = ['jaeger-udp', 'jaeger-udp-binary', 'jaeger-http', 'otlp', 'otlp-json', 'console', 'none'];

/** jaeger-client's `sampler` block. */
export interface SamplerConfig {
  type?: SamplerType;
  param?: number;
  /** Remote sampler: `host:port` of the sampling manager (agent), default `127.0.0.1:5778`. */
  hostPort?: string;
  host?: string;
  port?: number;
  samplingPath?: string;
  refreshIntervalMs?: number;
}

/** jaeger-client's `reporter` block, plus our exporter choice. */
export interface ReporterConfig {
  logSpans?: boolean;
  agentHost?: string;
  agentPort?: number;
  collectorEndpoint?: string;
  username?: string;
  password?: string;
  flushIntervalMs?: number;
  /**
   * Which wire format spans leave in (default `jaeger-udp`, or `jaeger-http` with a collector
   * endpoint). A list sends every span to each (the first one's outcome is what `stats()` counts).
   */
  exporter?: ExporterName | readonly ExporterName[];
  /** OTLP/HTTP traces endpoint, default `http://localhost:4318/v1/traces`. */
  otlpEndpoint?: string;
  /** Extra headers for OTLP/HTTP and Jaeger HTTP requests (e.g. an API key). */
  headers?: Record<string, string>;
  /** Bearer token for the Jaeger collector. */
  authToken?: string;
  maxQueueSize?: number;
  maxPacketSize?: number;
}

/** The config object of `initTracer` (jaeger-client's shape plus ours). */
export interface TracingConfig {
  serviceName?: string;
  disable?: boolean;
  /** Process tags, sent once per batch. */
  tags?: Record<string, string | number | boolean>;
  sampler?: SamplerConfig;
  reporter?: ReporterConfig;
  /** Formats injected and extracted; default `['jaeger', 'tracecontext', 'baggage']`. */
  propagators?: PropagatorName[];
  /** Register as the `opentracing` global tracer (default true). */
  global?: boolean;
  limits?: Partial<SpanLimits>;
}

/** jaeger-client's second `initTracer` argument (its `metrics` and reporters: see JaegerClientOptions). */
export interface TracerOptions extends JaegerClientOptions {
  logger?: Logger;
  /** Replaces the configured exporter (for tests, or a custom backend); jaeger-client's reporters work too. */
  reporter?: Reporter | JaegerClientOptions['reporter'];
  /** Replaces the configured sampler. */
  sampler?: Sampler;
  /** Process tags, merged over `config.tags`. */
  tags?: Record<string, string | number | boolean>;
}
