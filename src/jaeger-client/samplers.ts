import { ConstSampler as Const } from '../sampling/const.js';
import { ProbabilisticSampler as Probabilistic } from '../sampling/probabilistic.js';
import { RateLimitingSampler as RateLimiting } from '../sampling/rate-limiting.js';
import { RemoteSampler as Remote } from '../sampling/remote.js';
import { defaultLogger } from '../tracer/logger.js';
import type { Logger, Sampler, SamplingDecision } from '../tracer/types.js';
import { JaegerMetrics } from './metrics.js';
import type { MetricsFactory } from './metrics.js';

// jaeger-client's sampler classes with its constructor signatures, `name()`, `toString()` and
// `close(callback)`, deciding through ours. Their `isSampled(operationName, traceWords)` is our
// Sampler interface (jaeger-client's v1 `isSampled(operation, tags)` is internal to its tracer).

type Callback = (() => void) | undefined;

function callBack(callback: Callback): void {
  if (typeof callback === 'function') callback();
}

/** `new ConstSampler(decision)`: samples every trace or none. */
export class ConstSampler extends Const {
  constructor(decision: boolean) {
    super(Boolean(decision));
  }

  get decisionValue(): boolean {
    return this.sampleAll;
  }

  name(): string {
    return 'ConstSampler';
  }

  override toString(): string {
    return `ConstSampler(${this.sampleAll ? 'always' : 'never'})`;
  }

  close(callback?: Callback): void {
    callBack(callback);
  }
}

/** `new ProbabilisticSampler(samplingRate)`: the same trace-id-based decision as Jaeger's. */
export class ProbabilisticSampler extends Probabilistic {
  constructor(samplingRate: number) {
    if (typeof samplingRate !== 'number' || !(samplingRate >= 0 && samplingRate <= 1)) {
      throw new TypeError(`ProbabilisticSampler: samplingRate must be a number between 0 and 1, got ${String(samplingRate)}`);
    }
    super(samplingRate);
  }

  get samplingRate(): number {
    return this.rate;
  }

  name(): string {
    return 'ProbabilisticSampler';
  }

  override toString(): string {
    return `ProbabilisticSampler(samplingRate=${this.rate})`;
  }

  close(callback?: Callback): void {
    callBack(callback);
  }
}

/**
 * `new RateLimitingSampler(maxTracesPerSecond, initBalance?)`: a token bucket of new traces per
 * second, starting full (jaeger-client starts it at a random level) unless `initBalance` is given.
 */
export class RateLimitingSampler extends RateLimiting {
  constructor(maxTracesPerSecond: number, initBalance?: number) {
    if (typeof maxTracesPerSecond !== 'number' || !(maxTracesPerSecond >= 0) || !Number.isFinite(maxTracesPerSecond)) {
      throw new TypeError(`RateLimitingSampler: maxTracesPerSecond must be a finite number >= 0, got ${String(maxTracesPerSecond)}`);
    }
    super(maxTracesPerSecond, typeof initBalance === 'number' && initBalance > 0 ? initBalance : undefined);
  }

  get maxTracesPerSecond(): number {
    return this.tracesPerSecond;
  }

  name(): string {
    return 'RateLimitingSampler';
  }

  override toString(): string {
    return `RateLimitingSampler(maxTracesPerSecond=${this.tracesPerSecond})`;
  }

  close(callback?: Callback): void {
    callBack(callback);
  }
}

/** jaeger-client's `RemoteSampler` options. */
export interface RemoteSamplerOptions {
  /** Decides until the first strategy arrives (default `ProbabilisticSampler(0.001)`). */
  sampler?: Sampler;
  /** `host:port` of the agent's sampling endpoint (default `localhost:5778`). */
  hostPort?: string;
  host?: string;
  port?: number;
  samplingPath?: string;
  /** Milliseconds between polls (default 60000). */
  refreshInterval?: number;
  maxOperations?: number;
  metrics?: MetricsFactory | JaegerMetrics;
  logger?: Logger;
}

function samplingUrl(options: RemoteSamplerOptions): string {
  const path = options.samplingPath ?? '/sampling';
  if (options.hostPort !== undefined) {
    const base = /^https?:\/\//.test(options.hostPort) ? options.hostPort : `http://${options.hostPort}`;
    return `${base.replace(/\/$/, '')}${path}`;
  }
  return `http://${options.host ?? 'localhost'}:${options.port ?? 5778}${path}`;
}

/** Either a factory the user gave, or the set initTracer already built from one. */
export function jaegerMetricsOf(metrics: MetricsFactory | JaegerMetrics | undefined): JaegerMetrics | null {
  if (metrics === undefined || metrics === null) return null;
  return metrics instanceof JaegerMetrics ? metrics : new JaegerMetrics(metrics);
}

/**
 * `new RemoteSampler(serviceName, options)`: polls the agent's sampling endpoint (the first poll
 * right away, not after a random delay; the timer never keeps the process up) and samples as
 * the strategy says.
 */
export class RemoteSampler implements Sampler {
  private readonly remote: Remote;
  private readonly serviceName: string;

  constructor(serviceName: string, options: RemoteSamplerOptions = {}) {
    if (typeof serviceName !== 'string' || serviceName === '') {
      throw new TypeError('RemoteSampler: serviceName must be a non-empty string (the service whose strategy is asked for)');
    }
    this.serviceName = serviceName;
    const metrics = jaegerMetricsOf(options.metrics);
    this.remote = new Remote({
      serviceName,
      samplingUrl: samplingUrl(options),
      refreshIntervalMs: options.refreshInterval !== undefined && options.refreshInterval > 0 ? options.refreshInterval : 60_000,
      initialSampler: options.sampler ?? new ProbabilisticSampler(0.001),
      logger: options.logger ?? defaultLogger,
      maxOperations: options.maxOperations,
      onPoll: metrics === null ? undefined : (outcome) => metrics.samplerPolled(outcome),
    });
  }

  isSampled(operationName: string, traceWords: readonly number[]): SamplingDecision {
    return this.remote.isSampled(operationName, traceWords);
  }

  /** Polls now; resolves true when a valid strategy is in force afterwards. */
  refresh(): Promise<boolean> {
    return this.remote.refresh();
  }

  name(): string {
    return 'RemoteSampler';
  }

  toString(): string {
    return `RemoteSampler(serviceName=${this.serviceName})`;
  }

  close(callback?: Callback): void {
    this.remote.close();
    callBack(callback);
  }
}
