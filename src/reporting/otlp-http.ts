import type { Span } from '../tracer/span.js';
import { FaultLog } from '../tracer/logger.js';
import { OtlpProtoEncoder } from '../encoding/otlp-proto.js';
import { encodeOtlpJson } from '../encoding/otlp-json.js';
import type { OtlpProcess } from '../encoding/otlp-common.js';
import { HttpPoster } from './http-post.js';
import { ExportTracker, nothingSent } from './export-tracking.js';
import type { Exporter, ExporterContext, ExportResult } from './exporter.js';

export interface OtlpHttpOptions {
  /** e.g. `http://localhost:4318/v1/traces` (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). */
  endpoint: string;
  /** `protobuf` (application/x-protobuf, the default) or `json` (application/json). */
  protocol?: 'protobuf' | 'json';
  /** Extra request headers, e.g. from OTEL_EXPORTER_OTLP_HEADERS; values are never logged. */
  headers?: Record<string, string>;
  /** Per attempt (default 10 000 ms, as OTEL_EXPORTER_OTLP_TIMEOUT). */
  timeoutMs?: number;
  /** Retries after a network error, a timeout, 429, 502, 503 or 504 (default 3). */
  maxRetries?: number;
  /** First retry delay, doubled each retry, with jitter (default 250 ms). */
  retryDelayMs?: number;
}

/** Request bodies stay below this (collectors commonly refuse more); larger batches are split. */
export const MAX_OTLP_BODY_BYTES = 4 * 1024 * 1024;

const textEncoder = new TextEncoder();

function sum(a: ExportResult, b: ExportResult): ExportResult {
  return { sent: a.sent + b.sent, droppedTooLarge: a.droppedTooLarge + b.droppedTooLarge, failed: a.failed + b.failed };
}

/** OTLP/HTTP trace exporter: one POST per batch (split to stay under 4 MB), retried when worth it. */
export class OtlpHttpExporter implements Exporter {
  private readonly poster: HttpPoster;
  private readonly faults: FaultLog;
  private readonly contentType: string;
  private readonly encode: (spans: readonly Span[]) => Uint8Array;
  private readonly exports: ExportTracker;

  constructor(options: OtlpHttpOptions, context: ExporterContext) {
    this.faults = new FaultLog(context.logger);
    this.exports = new ExportTracker(this.faults, 'otlp');
    this.poster = new HttpPoster(options.endpoint, {
      headers: { ...options.headers },
      timeoutMs: options.timeoutMs ?? 10_000,
      maxRetries: options.maxRetries ?? 3,
      retryDelayMs: options.retryDelayMs ?? 250,
    }, this.faults, 'otlp');
    const resource: OtlpProcess = { serviceName: context.serviceName, processTags: context.processTags };
    if (options.protocol === 'json') {
      this.contentType = 'application/json';
      this.encode = (spans) => textEncoder.encode(encodeOtlpJson(spans, resource));
    } else {
      this.contentType = 'application/x-protobuf';
      const encoder = new OtlpProtoEncoder(resource);
      this.encode = (spans) => encoder.encode(spans);
    }
  }

  export(spans: readonly Span[]): Promise<ExportResult> {
    return this.exports.run(spans, this.send);
  }

  exportSync(spans: readonly Span[]): void {
    if (this.exports.closed) return;
    try {
      const body = this.encode(spans);
      if (body.byteLength <= MAX_OTLP_BODY_BYTES) this.poster.postSync(body, this.contentType);
    } catch (error) {
      this.faults.report('otlp encode', error);
    }
  }

  async shutdown(): Promise<void> {
    if (!this.exports.closed) await this.poster.shutdown(this.exports);
  }

  private readonly send = async (spans: readonly Span[]): Promise<ExportResult> => {
    let body: Uint8Array;
    try {
      body = this.encode(spans);
    } catch (error) {
      this.faults.report('otlp encode', error);
      return nothingSent(spans.length);
    }
    if (body.byteLength > MAX_OTLP_BODY_BYTES) {
      if (spans.length === 1) return { sent: 0, droppedTooLarge: 1, failed: 0 };
      const half = Math.ceil(spans.length / 2);
      return sum(await this.send(spans.slice(0, half)), await this.send(spans.slice(half)));
    }
    return (await this.poster.post(body, this.contentType)) ? { sent: spans.length, droppedTooLarge: 0, failed: 0 } : nothingSent(spans.length);
  };
}
