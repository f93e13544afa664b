import { resolveConfig } from '../config/resolve.js';
import type { ReporterConfig } from '../config/options.js';
import { createReporter } from '../reporting/index.js';
import { defaultLogger } from '../tracer/logger.js';
import type { Span } from '../tracer/span.js';
import type { Logger, Reporter } from '../tracer/types.js';
import { jaegerMetricsOf } from './samplers.js';
import type { JaegerMetrics, MetricsFactory } from './metrics.js';
import { PROMISES, after, tagObject } from './reporters.js';
import type { Callback, ProcessTags } from './reporters.js';

// jaeger-client's RemoteReporter and the senders it is given, on our batching reporter and exporters.

/** Where a RemoteReporter sends: `new UDPSender({ host, port, maxPacketSize })`, a jaeger-agent (binary Thrift on 6832, the default; compact on other ports). */
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
  readonly [PROMISES] = true;
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

