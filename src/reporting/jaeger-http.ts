import type { Span } from '../tracer/span.js';
import { FaultLog } from '../tracer/logger.js';
import { collectorBatchFormat } from '../encoding/jaeger-envelopes.js';
import type { JaegerBatchFormat } from '../encoding/jaeger-envelopes.js';
import { packSpans } from '../encoding/jaeger-batch.js';
import { HttpPoster } from './http-post.js';
import { ExportTracker, sendBatches } from './export-tracking.js';
import type { Exporter, ExporterContext, ExportResult } from './exporter.js';

export interface JaegerHttpOptions {
  /** The collector's Thrift endpoint, e.g. `http://localhost:14268/api/traces`. */
  endpoint: string;
  /** Basic auth; wins over `authToken` and over userinfo in the endpoint. */
  username?: string;
  password?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  authToken?: string;
  /** Extra request headers, values never logged; an `Authorization` here wins over endpoint userinfo. */
  headers?: Record<string, string>;
  /** Per attempt, from request to the end of the response (default 5000). */
  timeoutMs?: number;
  /** Retries after a network error, a timeout, 429 or 5xx (default 2). */
  maxRetries?: number;
  /** First retry delay; doubles each retry, with jitter (default 200). A Retry-After up to 5 s wins. */
  retryDelayMs?: number;
}

/** Request bodies stay below this; a batch is split into as many requests as needed. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** Explicit credentials; userinfo in the endpoint is the poster's fallback when there are none. */
function withAuthorization(options: JaegerHttpOptions): Record<string, string> {
  const headers = { ...options.headers };
  if (options.username !== undefined) {
    headers['Authorization'] = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  } else if (options.authToken !== undefined) {
    headers['Authorization'] = `Bearer ${options.authToken}`;
  }
  return headers;
}

function isRetryableForJaeger(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * POSTs binary-Thrift `Batch` bodies to a Jaeger collector through the shared `HttpPoster` (internal
 * agent, retries, no retries while the collector is known down). Never throws, never rejects.
 */
export class JaegerHttpExporter implements Exporter {
  private readonly format: JaegerBatchFormat;
  private readonly faults: FaultLog;
  private readonly poster: HttpPoster;
  private readonly exports: ExportTracker;

  constructor(options: JaegerHttpOptions, context: ExporterContext) {
    this.format = collectorBatchFormat(context.serviceName, context.processTags);
    this.faults = new FaultLog(context.logger);
    this.exports = new ExportTracker(this.faults, 'jaeger-http');
    this.poster = new HttpPoster(options.endpoint, {
      headers: withAuthorization(options),
      timeoutMs: options.timeoutMs ?? 5000,
      maxRetries: options.maxRetries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 200,
      isRetryable: isRetryableForJaeger,
    }, this.faults, 'jaeger-http');
  }

  export(spans: readonly Span[]): Promise<ExportResult> {
    return this.exports.run(spans, this.send);
  }

  exportSync(spans: readonly Span[]): void {
    if (this.exports.closed) return;
    try {
      for (const batch of packSpans(this.format, spans, MAX_REQUEST_BYTES).batches) this.poster.postSync(batch.parts, 'application/x-thrift');
    } catch (error) {
      this.faults.report('jaeger-http encode', error);
    }
  }

  async shutdown(): Promise<void> {
    if (!this.exports.closed) await this.poster.shutdown(this.exports);
  }

  private readonly send = async (spans: readonly Span[]): Promise<ExportResult> => {
    const packed = packSpans(this.format, spans, MAX_REQUEST_BYTES);
    if (packed.failed > 0) this.faults.report('jaeger-http encode', new Error(`${packed.failed} spans could not be encoded`));
    return sendBatches(packed, (batch) => this.poster.post(batch.parts, 'application/x-thrift'));
  };
}
