import type { TracerMetrics } from '../tracer/types.js';
import type { ReporterMetrics } from '../reporting/batching-reporter.js';
import type { PollOutcome } from '../sampling/remote.js';

/** jaeger-client's counter: `increment(delta)`. */
export interface Counter {
  increment(delta?: number): void;
}

/** jaeger-client's gauge: `update(value)`. */
export interface Gauge {
  update(value: number): void;
}

/** jaeger-client's metrics factory (`options.metrics`), e.g. `PrometheusMetricsFactory`. */
export interface MetricsFactory {
  createCounter(name: string, tags?: Record<string, string>): Counter;
  createGauge(name: string, tags?: Record<string, string>): Gauge;
}

// A metrics backend that throws must not reach the span's caller: the increment is swallowed.
function safeCounter(counter: Counter): Counter {
  return {
    increment(delta = 1) {
      try {
        counter.increment(delta);
      } catch {
        // counted nowhere: the metrics backend is the thing that failed
      }
    },
  };
}

/**
 * jaeger-client's metric set, created through the user's factory with the same names, labels and
 * order, and fed by the tracer, reporter and remote sampler hooks. A throwing factory counter is
 * never let into the app: the tracer and reporter call these inside their own guards.
 */
export class JaegerMetrics implements TracerMetrics, ReporterMetrics {
  readonly tracesStartedSampled: Counter;
  readonly tracesStartedNotSampled: Counter;
  readonly tracesJoinedSampled: Counter;
  readonly tracesJoinedNotSampled: Counter;
  readonly spansFinished: Counter;
  readonly spansStartedSampled: Counter;
  readonly spansStartedNotSampled: Counter;
  readonly decodingErrors: Counter;
  readonly reporterSuccess: Counter;
  readonly reporterFailure: Counter;
  readonly reporterDropped: Counter;
  readonly reporterQueueLength: Gauge;
  readonly samplerRetrieved: Counter;
  readonly samplerQueryFailure: Counter;
  readonly samplerUpdated: Counter;
  readonly samplerUpdateFailure: Counter;
  readonly baggageUpdateSuccess: Counter;
  readonly baggageUpdateFailure: Counter;
  readonly baggageTruncate: Counter;
  readonly throttledDebugSpans: Counter;
  readonly throttlerUpdateSuccess: Counter;
  readonly throttlerUpdateFailure: Counter;

  constructor(factory: MetricsFactory) {
    const counter = (name: string, tags?: Record<string, string>): Counter => safeCounter(factory.createCounter(name, tags));
    this.tracesStartedSampled = counter('jaeger:traces', { state: 'started', sampled: 'y' });
    this.tracesStartedNotSampled = counter('jaeger:traces', { state: 'started', sampled: 'n' });
    this.tracesJoinedSampled = counter('jaeger:traces', { state: 'joined', sampled: 'y' });
    this.tracesJoinedNotSampled = counter('jaeger:traces', { state: 'joined', sampled: 'n' });
    this.spansFinished = counter('jaeger:finished_spans');
    this.spansStartedSampled = counter('jaeger:started_spans', { sampled: 'y' });
    this.spansStartedNotSampled = counter('jaeger:started_spans', { sampled: 'n' });
    this.decodingErrors = counter('jaeger:span_context_decoding_errors');
    this.reporterSuccess = counter('jaeger:reporter_spans', { result: 'ok' });
    this.reporterFailure = counter('jaeger:reporter_spans', { result: 'err' });
    this.reporterDropped = counter('jaeger:reporter_spans', { result: 'dropped' });
    this.reporterQueueLength = factory.createGauge('jaeger:reporter_queue_length');
    this.samplerRetrieved = counter('jaeger:sampler_queries', { result: 'ok' });
    this.samplerQueryFailure = counter('jaeger:sampler_queries', { result: 'err' });
    this.samplerUpdated = counter('jaeger:sampler_updates', { result: 'ok' });
    this.samplerUpdateFailure = counter('jaeger:sampler_updates', { result: 'err' });
    this.baggageUpdateSuccess = counter('jaeger:baggage_updates', { result: 'ok' });
    this.baggageUpdateFailure = counter('jaeger:baggage_updates', { result: 'err' });
    this.baggageTruncate = counter('jaeger:baggage_truncations');
    this.throttledDebugSpans = counter('jaeger:throttled_debug_spans');
    this.throttlerUpdateSuccess = counter('jaeger:throttler_updates', { result: 'ok' });
    this.throttlerUpdateFailure = counter('jaeger:throttler_updates', { result: 'err' });
  }

  spanStarted(sampled: boolean, newTrace: boolean, joinedTrace: boolean): void {
    (sampled ? this.spansStartedSampled : this.spansStartedNotSampled).increment(1);
    if (newTrace) (sampled ? this.tracesStartedSampled : this.tracesStartedNotSampled).increment(1);
    else if (joinedTrace) (sampled ? this.tracesJoinedSampled : this.tracesJoinedNotSampled).increment(1);
  }

  spanFinished(): void {
    this.spansFinished.increment(1);
  }

  debugThrottled(): void {
    this.throttledDebugSpans.increment(1);
  }

  baggageUpdated(): void {
    this.baggageUpdateSuccess.increment(1);
  }

  spansSent(count: number): void {
    this.reporterSuccess.increment(count);
  }

  spansFailed(count: number): void {
    this.reporterFailure.increment(count);
  }

  spansDropped(count: number): void {
    this.reporterDropped.increment(count);
  }

  samplerPolled(outcome: PollOutcome): void {
    if (outcome === 'query-failed') this.samplerQueryFailure.increment(1);
    else if (outcome === 'retrieved') this.samplerRetrieved.increment(1);
    else if (outcome === 'updated') this.samplerUpdated.increment(1);
    else this.samplerUpdateFailure.increment(1);
  }
}

/** The parts of `prom-client` the factory uses (structural: prom-client stays an optional peer). */
export interface PromClient {
  Counter: new (config: { name: string; help: string; labelNames: string[] }) => PromMetric;
  Gauge: new (config: { name: string; help: string; labelNames: string[] }) => PromMetric;
}

interface PromMetric {
  labels(...values: string[]): PromMetric;
  inc?(delta?: number): void;
  set?(value: number): void;
}

/**
 * jaeger-client's `new PrometheusMetricsFactory(promClient, namespace)`: one prom-client metric
 * per name (`namespace_jaeger:traces`...), label values bound per counter.
 */
export class PrometheusMetricsFactory implements MetricsFactory {
  private readonly cache = new Map<string, PromMetric>();

  constructor(private readonly promClient: PromClient, private readonly namespace?: string) {
    if (promClient == null || typeof promClient.Counter !== 'function' || typeof promClient.Gauge !== 'function') {
      throw new TypeError('PrometheusMetricsFactory: pass the prom-client module (require(\'prom-client\')) as the first argument');
    }
  }

  createCounter(name: string, tags?: Record<string, string>): Counter {
    const metric = this.metric(this.promClient.Counter, name, tags);
    return { increment: (delta?: number) => metric.inc!(delta) };
  }

  createGauge(name: string, tags?: Record<string, string>): Gauge {
    const metric = this.metric(this.promClient.Gauge, name, tags);
    return { update: (value: number) => metric.set!(value) };
  }

  private metric(kind: PromClient['Counter'], name: string, tags: Record<string, string> = {}): PromMetric {
    const labelNames = Object.keys(tags);
    const key = `${name},${labelNames.join(',')}`;
    let metric = this.cache.get(key);
    if (metric === undefined) {
      metric = new kind({ name: this.namespace ? `${this.namespace}_${name}` : name, help: name, labelNames });
      this.cache.set(key, metric);
    }
    return labelNames.length > 0 ? metric.labels(...labelNames.map((label) => tags[label]!)) : metric;
  }
}
