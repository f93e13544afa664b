import http from 'node:http';
import https from 'node:https';
import type { Span } from '../tracer/span.js';
import { FaultLog } from '../tracer/logger.js';
import { markInternal } from '../tracer/internal-requests.js';
import { collectorBatchFormat } from '../encoding/jaeger-envelopes.js';
import type { JaegerBatchFormat } from '../encoding/jaeger-envelopes.js';
import { packSpans } from '../encoding/jaeger-batch.js';
import type { EncodedBatch } from '../encoding/jaeger-batch.js';
import type { Exporter, ExporterContext, ExportResult } from './exporter.js';

export interface JaegerHttpOptions {
  /** The collector's Thrift endpoint, e.g. `http://localhost:14268/api/traces`. */
  endpoint: string;
  /** Basic auth; wins over `authToken` and over userinfo in the endpoint. */
  username?: string;
  password?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  authToken?: string;
  headers?: Record<string, string>;
  /** Per attempt, from request to the end of the response (default 5000). */
  timeoutMs?: number;
  /** Retries after a network error, a timeout, 429 or 5xx (default 2). */
  maxRetries?: number;
  /** First retry delay; doubles each retry, with jitter (default 200). */
  retryDelayMs?: number;
}

/** Request bodies stay below this; a batch is split into as many requests as needed. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** `shutdown` waits at most this long (and at most one attempt's timeout) for requests in flight. */
const SHUTDOWN_WAIT_MS = 2000;

type Outcome = 'sent' | 'retry' | 'failed';

function nothingSent(failed: number): ExportResult {
  return { sent: 0, droppedTooLarge: 0, failed };
}

function authorization(options: JaegerHttpOptions, url: URL): string | undefined {
  const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  if (options.username !== undefined) return basic(options.username, options.password ?? '');
  if (options.authToken !== undefined) return `Bearer ${options.authToken}`;
  if (url.username !== '') return basic(decoded(url.username), decoded(url.password));
  return undefined;
}

function decoded(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * POSTs binary-Thrift `Batch` bodies to a Jaeger collector through a keep-alive agent marked as
 * internal (our HTTP client instrumentation never traces it). Never throws, never rejects, never
 * logs credentials: faults are logged once each, by status code or error code.
 */
export class JaegerHttpExporter implements Exporter {
  private readonly format: JaegerBatchFormat;
  private readonly faults: FaultLog;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly requestOptions: http.RequestOptions;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly inFlight = new Set<Promise<ExportResult>>();
  private readonly requests = new Set<http.ClientRequest>();
  private closed = false;
  /** Set when shutdown stops waiting: nothing new is sent. */
  private aborted = false;

  constructor(options: JaegerHttpOptions, context: ExporterContext) {
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new TypeError('JaegerHttpExporter: endpoint must be an absolute http: or https: URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError('JaegerHttpExporter: endpoint must be an absolute http: or https: URL');
    }
    this.format = collectorBatchFormat(context.serviceName, context.processTags);
    this.faults = new FaultLog(context.logger);
    this.transport = url.protocol === 'https:' ? https : http;
    this.agent = markInternal(new this.transport.Agent({ keepAlive: true }));
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxRetries = options.maxRetries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.headers = { ...options.headers, 'Content-Type': 'application/x-thrift' };
    const auth = authorization(options, url);
    if (auth !== undefined) this.headers['Authorization'] = auth;
    this.requestOptions = {
      method: 'POST',
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      agent: this.agent,
    };
  }

  export(spans: readonly Span[]): Promise<ExportResult> {
    if (this.closed) return Promise.resolve(nothingSent(spans.length));
    if (spans.length === 0) return Promise.resolve(nothingSent(0));
    const work = this.send(spans).catch((error: unknown) => {
      this.faults.report('jaeger-http export', error);
      return nothingSent(spans.length);
    });
    this.inFlight.add(work);
    void work.then(() => this.inFlight.delete(work));
    return work;
  }

  /**
   * Lets requests in flight finish (at most one attempt's timeout, at most 2 s) without retrying
   * them, then aborts what is left (counted as failed) and frees the sockets.
   */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.min(this.timeoutMs, SHUTDOWN_WAIT_MS));
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    clearTimeout(timer);
    this.aborted = true;
    for (const request of this.requests) request.destroy();
    this.agent.destroy();
  }

  private async send(spans: readonly Span[]): Promise<ExportResult> {
    const packed = packSpans(this.format, spans, MAX_REQUEST_BYTES);
    if (packed.failed > 0) this.faults.report('jaeger-http encode', new Error(`${packed.failed} spans could not be encoded`));
    let sent = 0;
    let failed = packed.failed;
    for (const batch of packed.batches) {
      if (await this.post(batch)) sent += batch.spanCount;
      else failed += batch.spanCount;
    }
    return { sent, droppedTooLarge: packed.droppedTooLarge, failed };
  }

  private async post(batch: EncodedBatch): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      if (this.aborted) return false;
      const outcome = await this.attempt(batch);
      if (outcome === 'sent') return true;
      // The reporter flushes (with retries) before it shuts an exporter down: none start after.
      if (outcome === 'failed' || attempt >= this.maxRetries || this.closed) return false;
      await delay(this.retryDelayMs * 2 ** attempt * (0.5 + Math.random() / 2));
      if (this.closed) return false;
    }
  }

  private open(batch: EncodedBatch): http.ClientRequest | null {
    try {
      return this.transport.request({ ...this.requestOptions, headers: { ...this.headers, 'Content-Length': String(batch.byteLength) } });
    } catch (error) {
      this.faults.report('jaeger-http request', error);
      return null;
    }
  }

  private attempt(batch: EncodedBatch): Promise<Outcome> {
    const request = this.open(batch);
    if (request === null) return Promise.resolve('failed');
    this.requests.add(request);
    return new Promise((resolve) => {
      let settled = false;
      const timer = setTimeout(() => request.destroy(new Error(`no response within ${this.timeoutMs} ms`)), this.timeoutMs);
      timer.unref();
      const settle = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.requests.delete(request);
        resolve(outcome);
      };
      request.on('error', (error: NodeJS.ErrnoException) => {
        this.faults.report(`jaeger-http ${error.code ?? 'error'}`, error);
        settle('retry');
      });
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const outcome: Outcome = status >= 200 && status < 300 ? 'sent' : status === 429 || status >= 500 ? 'retry' : 'failed';
        if (outcome !== 'sent') this.faults.report(`jaeger-http status ${status}`, new Error(`collector answered HTTP ${status}`));
        // The status decides: a 2xx whose body is cut short was still accepted (no duplicate retry).
        response.on('error', () => settle(outcome));
        response.on('close', () => settle(outcome));
        response.on('end', () => settle(outcome));
        response.resume();
      });
      const [head, spans, tail] = batch.parts;
      request.write(head);
      request.write(spans);
      request.end(tail);
    });
  }
}
