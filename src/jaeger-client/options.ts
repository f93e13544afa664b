import { RateLimiter } from '../sampling/rate-limiting.js';
import type { PollOutcome } from '../sampling/remote.js';
import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import type { Tracer } from '../tracer/tracer.js';
import type { Limiter, Reporter } from '../tracer/types.js';
import { TextMapCodec } from './codecs.js';
import { JaegerMetrics } from './metrics.js';
import type { MetricsFactory } from './metrics.js';
import { asReporter } from './reporters.js';
import type { JaegerStyleReporter } from './reporters.js';

/** `jaeger-debug-id` requests that may force a sampled trace, per second and tracer, by default. */
export const DEFAULT_DEBUG_TRACES_PER_SECOND = 5;

/** The parts of initTracer's second argument that jaeger-client users bring. */
export interface JaegerClientOptions {
  reporter?: Reporter | JaegerStyleReporter;
  /** jaeger-client's metrics factory, e.g. `new PrometheusMetricsFactory(promClient, 'my_service')`. */
  metrics?: MetricsFactory;
  /**
   * How many traces a second `jaeger-debug-id` headers may force to be sampled (a token bucket
   * per tracer, default 5, bursts of as many); 0 ignores the header. Beyond it the sampler decides.
   */
  debugTracesPerSecond?: number;
  /** jaeger-client's name for the context header (default `uber-trace-id`): registers a TextMapCodec. */
  contextKey?: string;
  /** jaeger-client's baggage header prefix (default `uberctx-`): registers a TextMapCodec. */
  baggagePrefix?: string;
}

/** What the compatibility options add to a tracer being built. */
export interface JaegerClientParts {
  reporter: Reporter | undefined;
  metrics: JaegerMetrics | undefined;
  onSamplerPoll: ((outcome: PollOutcome) => void) | undefined;
  debugLimiter: Limiter;
  /** Registers what the options ask for on the new tracer (codecs for a custom contextKey/baggagePrefix). */
  configure(tracer: Tracer): void;
}

function fail(option: string, expected: string, value: unknown): never {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  throw new TypeError(`opentracing-async-instrumentation: ${option} must be ${expected}, got ${shown}`);
}

/** initTracer's first argument needs a service name, as in jaeger-client (unless disabled). */
export function requireServiceName(config: { serviceName?: unknown; disable?: unknown }): void {
  if (config.disable !== true && (typeof config.serviceName !== 'string' || config.serviceName === '')) {
    fail('config.serviceName', 'a non-empty string: the name your spans are reported under (jaeger-client requires it too)', config.serviceName);
  }
}

/** Throws a TypeError naming the option when `metrics` or `debugTracesPerSecond` is unusable. */
export function validateJaegerClientOptions(options: JaegerClientOptions): void {
  const metrics = options.metrics as unknown;
  if (metrics !== undefined && metrics !== null) {
    const factory = metrics as Partial<MetricsFactory>;
    if (typeof factory.createCounter !== 'function' || typeof factory.createGauge !== 'function') {
      fail('options.metrics', 'a metrics factory with createCounter(name, tags) and createGauge(name, tags), e.g. new PrometheusMetricsFactory(require(\'prom-client\'), \'service\')', metrics);
    }
  }
  for (const key of ['contextKey', 'baggagePrefix'] as const) {
    const value = options[key] as unknown;
    if (value !== undefined && (typeof value !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value))) {
      fail(`options.${key}`, 'a header name (letters, digits, dashes)', value);
    }
  }
  const perSecond = options.debugTracesPerSecond as unknown;
  if (perSecond !== undefined && (typeof perSecond !== 'number' || !(perSecond >= 0) || !Number.isFinite(perSecond))) {
    fail('options.debugTracesPerSecond', 'a finite number >= 0', perSecond);
  }
}

const NEVER: Limiter = { trySpend: () => false };

function debugLimiter(perSecond: number): Limiter {
  return perSecond === 0 ? NEVER : new RateLimiter(perSecond);
}

/**
 * Validates, then turns the jaeger-client options into tracer parts: a user's jaeger-style
 * reporter driven through our interface and told the process, the metrics set, the debug bucket.
 */
export function jaegerClientParts(
  options: JaegerClientOptions, serviceName: string, processTags: Readonly<Record<string, unknown>>,
): JaegerClientParts {
  validateJaegerClientOptions(options);
  const metrics = options.metrics == null ? undefined : new JaegerMetrics(options.metrics);
  let reporter: Reporter | undefined;
  if (options.reporter != null) {
    const given = options.reporter as JaegerStyleReporter;
    // jaeger-client's tracer hands its reporter the process (service name, tags) at construction.
    given.setProcess?.(serviceName, Object.entries(processTags).map(([key, value]) => ({ key, value })));
    reporter = asReporter(given);
  }
  return {
    reporter,
    metrics,
    onSamplerPoll: metrics === undefined ? undefined : (outcome) => metrics.samplerPolled(outcome),
    debugLimiter: debugLimiter(options.debugTracesPerSecond ?? DEFAULT_DEBUG_TRACES_PER_SECOND),
    configure: (tracer) => {
      if (options.contextKey === undefined && options.baggagePrefix === undefined) return;
      // As jaeger-client's tracer does with these options: its text codec for both text formats.
      for (const [format, urlEncoding] of [[FORMAT_TEXT_MAP, false], [FORMAT_HTTP_HEADERS, true]] as const) {
        const codec = new TextMapCodec({ contextKey: options.contextKey, baggagePrefix: options.baggagePrefix, urlEncoding, metrics });
        tracer.registerInjector(format, codec);
        tracer.registerExtractor(format, codec);
      }
    },
  };
}
