import { resolveConfig } from '../config/resolve.js';
import type { ReporterConfig } from '../config/options.js';
import { createReporter } from '../reporting/index.js';
import { InMemoryReporter as MemoryStore } from '../reporting/memory.js';
import { defaultLogger } from '../tracer/logger.js';
import type { Span } from '../tracer/span.js';
import type { Logger, Reporter } from '../tracer/types.js';
import { jaegerMetricsOf } from './samplers.js';
import type { JaegerMetrics, MetricsFactory } from './metrics.js';

// jaeger-client's reporter classes with its constructor signatures. Each is also one of our
// Reporters (report, flush() and close() promises), so either tracer API drives it; `close(cb)`
// and `flush(cb)` call back when done, as jaeger-client's do.

type Callback = (() => void) | undefined;
type ProcessTags = Readonly<Record<string, unknown>> | readonly { key: string; value: unknown }[];

function after(work: Promise<void>, callback: Callback): Promise<void> {
  if (typeof callback === 'function') void work.then(() => callback());
  return work;
}

/** jaeger-client's `setProcess` tags come as `[{ key, value }]`; ours as an object. */
function tagObject(tags: ProcessTags | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const add = (key: string, value: unknown): void => {
    if (key === '') return;
    out[key] = typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
  };
  if (Array.isArray(tags)) for (const tag of tags as { key: string; value: unknown }[]) add(tag.key, tag.value);
  else if (tags !== undefined && tags !== null) for (const [key, value] of Object.entries(tags)) add(key, value);
  return out;
}

/** Where a RemoteReporter sends: `new UDPSender({ host, port, maxPacketSize })` (jaeger-agent, compact Thrift). */
export class UDPSender {
  readonly config: ReporterConfig;
  constructor(options: { host?: string; port?: number; maxPacketSize?: number; socketType?: string; logger?: Logger } = {}) {
    // Port 6832 (jaeger-client's default) is the agent's binary Thrift port; 6831 its compact one.
    this.config = { exporter: (options.port ?? 6832) === 6832 ? 'jaeger-udp-binary' : 'jaeger-udp', agentHost: options.host, agentPort: options.port, maxPacketSize: options.maxPacketSize };
  }
}

/** Where a RemoteReporter sends: `new HTTPSender({ endpoint, username, password, timeoutMs })` (collector, binary Thrift). */
export class HTTPSender {
  readonly config: ReporterConfig;
  constructor(options: { endpoint?: string; username?: string; password?: string; timeoutMs?: number; headers?: Record<string, string>; logger?: Logger } = {}) {
    this.config = { exporter: 'jaeger-http', collectorEndpoint: options.endpoint, username: options.username, password: options.password, headers: options.headers };
  }
}

export interface RemoteReporterOptions {
  /** Milliseconds between flushes (default 1000). */
  bufferFlushInterval?: number;
  logger?: Logger;
  metrics?: MetricsFactory | JaegerMetrics;
}

/**
 * `new RemoteReporter(sender, options)`: our bounded batching reporter and the sender's exporter,
 * created once the tracer has told it the process (`setProcess`), or at the first span.
 */
export class RemoteReporter implements Reporter {
  private inner: Reporter | null = null;
  private process: { serviceName: string; tags: Record<string, string | number | boolean> } | null = null;
  private readonly metrics: JaegerMetrics | null;

  constructor(private readonly sender: UDPSender | HTTPSender, private readonly options: RemoteReporterOptions = {}) {
    if (sender === undefined || sender === null || typeof sender !== 'object' || !('config' in sender)) {
      throw new TypeError('RemoteReporter: pass a sender, e.g. new RemoteReporter(new UDPSender({ host, port }))');
    }
    this.metrics = jaegerMetricsOf(options.metrics);
  }

  name(): string {
    return 'RemoteReporter';
  }

  toString(): string {
    return this.name();
  }

  setProcess(serviceName: string, tags?: ProcessTags): void {
    if (this.inner === null) this.process = { serviceName, tags: tagObject(tags) };
  }

  report(span: Span): void {
    this.reporter().report(span);
  }

  flush(callback?: Callback): Promise<void> {
    return after(this.inner === null ? Promise.resolve() : this.inner.flush(), callback);
  }

  close(callback?: Callback): Promise<void> {
    return after(this.inner === null ? Promise.resolve() : this.inner.close(), callback);
  }

  stats(): Readonly<Record<string, number>> {
    return this.inner?.stats?.() ?? {};
  }

  private reporter(): Reporter {
    if (this.inner !== null) return this.inner;
    const process = this.process ?? { serviceName: 'unknown_service:node', tags: {} };
    const config = resolveConfig({ reporter: { ...this.sender.config, flushIntervalMs: this.options.bufferFlushInterval } }).reporter;
    this.inner = createReporter(config, {
      serviceName: process.serviceName,
      processTags: process.tags,
      logger: this.options.logger ?? defaultLogger,
      metrics: this.metrics ?? undefined,
    });
    return this.inner;
  }
}

/** A reporter as jaeger-client knows one: `report(span)`, `close(callback)`, maybe `flush` and `setProcess`. */
export interface JaegerStyleReporter {
  report(span: Span): void;
  close?(callback?: () => void): unknown;
  flush?(callback?: () => void): unknown;
  setProcess?(serviceName: string, tags: ProcessTags): void;
}

/** Completes when `method(callback)` calls back or its returned promise settles, whichever comes first. */
function settle(method: ((callback?: () => void) => unknown) | undefined, owner: object): Promise<void> {
  if (typeof method !== 'function') return Promise.resolve();
  return new Promise<void>((resolve) => {
    try {
      const result = method.call(owner, () => resolve()) as PromiseLike<unknown> | undefined;
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') result.then(() => resolve(), () => resolve());
      else if (method.length === 0) resolve();
    } catch {
      resolve();
    }
  });
}

/** Drives a jaeger-client-style reporter (a user's own) through our Reporter interface. */
export function asReporter(reporter: JaegerStyleReporter): Reporter {
  const ours = reporter as Partial<Reporter>;
  const compat = reporter instanceof RemoteReporter || reporter instanceof CompositeReporter || reporter instanceof InMemoryReporter ||
    reporter instanceof LoggingReporter || reporter instanceof NoopReporter;
  // Ours take no callback and return promises; jaeger-client's take `close(callback)`.
  if (compat || (typeof ours.flush === 'function' && typeof ours.close === 'function' && ours.close.length === 0)) return reporter as Reporter;
  return {
    report: (span) => reporter.report(span),
    flush: () => settle(reporter.flush, reporter),
    close: () => settle(reporter.close, reporter),
    stats: () => (typeof ours.stats === 'function' ? ours.stats.call(reporter) : {}),
  };
}

/** `new CompositeReporter([reporters])`: every span to each. */
export class CompositeReporter implements Reporter {
  private readonly reporters: Reporter[];

  constructor(private readonly given: JaegerStyleReporter[]) {
    if (!Array.isArray(given)) throw new TypeError('CompositeReporter: pass an array of reporters');
    this.reporters = given.map(asReporter);
  }

  name(): string {
    return 'CompositeReporter';
  }

  toString(): string {
    return `CompositeReporter(${this.given.map((reporter) => String(reporter)).join(',')})`;
  }

  setProcess(serviceName: string, tags: ProcessTags): void {
    for (const reporter of this.given) reporter.setProcess?.(serviceName, tags);
  }

  report(span: Span): void {
    for (const reporter of this.reporters) reporter.report(span);
  }

  flush(callback?: Callback): Promise<void> {
    return after(Promise.all(this.reporters.map((reporter) => reporter.flush())).then(() => undefined), callback);
  }

  close(callback?: Callback): Promise<void> {
    return after(Promise.all(this.reporters.map((reporter) => reporter.close())).then(() => undefined), callback);
  }
}

/** `new InMemoryReporter()`: finished spans in `spans` until `clear()`, for unit tests. */
export class InMemoryReporter implements Reporter {
  private readonly store = new MemoryStore();

  /** Finished, sampled spans in finish order. */
  get spans(): Span[] {
    return this.store.finishedSpans() as Span[];
  }

  name(): string {
    return 'InMemoryReporter';
  }

  toString(): string {
    return this.name();
  }

  setProcess(): void {}

  report(span: Span): void {
    this.store.report(span);
  }

  clear(): void {
    this.store.clear();
  }

  flush(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }

  close(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }

  stats(): Record<string, number> {
    return this.store.stats();
  }
}

/** `new LoggingReporter(logger)`: logs `Reporting span <trace:span:parent:flags>` at info for each span. */
export class LoggingReporter implements Reporter {
  private readonly logger: Logger;

  constructor(logger?: Logger) {
    this.logger = logger ?? defaultLogger;
  }

  name(): string {
    return 'LoggingReporter';
  }

  toString(): string {
    return this.name();
  }

  setProcess(): void {}

  report(span: Span): void {
    this.logger.info?.(`Reporting span ${span.context().toString()}`);
  }

  flush(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }

  close(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }
}

/** `new NoopReporter()`: drops every span. */
export class NoopReporter implements Reporter {
  name(): string {
    return 'NoopReporter';
  }

  toString(): string {
    return this.name();
  }

  setProcess(): void {}

  report(): void {}

  flush(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }

  close(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }
}
