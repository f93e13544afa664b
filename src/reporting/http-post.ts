import http from 'node:http';
import https from 'node:https';
import type { FaultLog } from '../tracer/logger.js';
import { markInternal } from '../tracer/internal-requests.js';
import type { ExportTracker } from './export-tracking.js';
import { postSync } from './post-sync.js';

export interface HttpPostOptions {
  /** Sent with every request; values are never logged. */
  headers: Record<string, string>;
  /** Per attempt, from request to the end of the response. */
  timeoutMs: number;
  /** Retries after a network error, a timeout or a status `isRetryable` accepts. */
  maxRetries: number;
  /** First retry delay; doubles each retry, with jitter. A Retry-After of up to 5 s is honoured. */
  retryDelayMs: number;
  /** Which non-2xx answers are worth another attempt (default 429, 502, 503 and 504, as OTLP says). */
  isRetryable?: (status: number) => boolean;
}

/** A request body, whole or in parts that are written one after another (never concatenated). */
export type PostBody = Uint8Array | readonly Uint8Array[];

type Outcome = 'sent' | 'retry' | 'failed';

const MAX_RETRY_AFTER_MS = 5000;
/** `shutdown` waits at most this long (and at most one attempt's timeout) for exports under way. */
const SHUTDOWN_WAIT_MS = 2000;

function isRetryableForOtlp(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

function delay(ms: number): Promise<void> {
  // unref'd: a pending retry alone does not hold the process open (close() keeps it up meanwhile)
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
}

function httpUrl(endpoint: string): URL | null {
  try {
    const url = new URL(endpoint);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function decoded(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component; // a malformed escape is taken literally rather than failing the tracer's start
  }
}

function byteLength(body: PostBody): number {
  if (body instanceof Uint8Array) return body.byteLength;
  let length = 0;
  for (const part of body) length += part.byteLength;
  return length;
}

function writeBody(request: http.ClientRequest, body: PostBody): void {
  if (body instanceof Uint8Array) return void request.end(body);
  for (let i = 0; i < body.length - 1; i++) request.write(body[i]);
  request.end(body[body.length - 1]);
}

/**
 * POSTs bodies to one endpoint through a keep-alive agent marked as internal, so HTTP client
 * instrumentation never traces the tracer's own traffic. Never throws, never rejects. Faults are
 * logged once per kind, naming the endpoint without credentials and never a header value.
 */
export class HttpPoster {
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly requestOptions: http.RequestOptions;
  private readonly isRetryable: (status: number) => boolean;
  /** Cancels each attempt in flight. */
  private readonly cancels = new Set<() => void>();
  /** The endpoint without userinfo or query, for messages. */
  private readonly where: string;
  /** Set when a post used up its retries; until a post succeeds again, posts try once. */
  private unreachable = false;
  private retriesStopped = false;
  private aborted = false;

  constructor(endpoint: string, private readonly options: HttpPostOptions, private readonly faults: FaultLog, private readonly label: string) {
    const url = httpUrl(endpoint);
    if (url === null) throw new TypeError(`${label}: endpoint must be an absolute http: or https: URL`);
    this.where = `${url.protocol}//${url.host}${url.pathname}`;
    this.transport = url.protocol === 'https:' ? https : http;
    this.agent = markInternal(new this.transport.Agent({ keepAlive: true }));
    this.isRetryable = options.isRetryable ?? isRetryableForOtlp;
    const headers: Record<string, string> = { ...options.headers };
    if (url.username !== '' && !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
      const credentials = `${decoded(url.username)}:${decoded(url.password)}`;
      headers['Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    this.requestOptions = {
      method: 'POST',
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      agent: this.agent,
      headers,
    };
  }

  /**
   * True once a 2xx answer arrived; false after a permanent failure or the last retry. While the
   * endpoint is known to be unreachable, batches get one attempt each, so a backlog (or close())
   * is not held up by retries that are bound to fail.
   */
  async post(body: PostBody, contentType: string): Promise<boolean> {
    const maxRetries = this.unreachable ? 0 : this.options.maxRetries;
    for (let attempt = 0; ; attempt++) {
      if (this.aborted) return false;
      const [outcome, retryAfter] = await this.attempt(body, contentType);
      if (outcome === 'sent') {
        this.unreachable = false;
        return true;
      }
      if (outcome === 'failed' || this.retriesStopped) return false;
      if (attempt >= maxRetries) {
        this.unreachable = true;
        return false;
      }
      await delay(retryAfter ?? this.options.retryDelayMs * 2 ** attempt * (0.5 + Math.random() / 2));
      if (this.retriesStopped) return false;
    }
  }

  /**
   * One attempt that completes before returning (a child process sends it), for a process about to
   * end; at most `timeoutMs`, and at most 2 s. False on any failure, which is logged once.
   */
  postSync(body: PostBody, contentType: string): boolean {
    const { hostname, port, path, headers } = this.requestOptions;
    const host = hostname!.includes(':') ? `[${hostname!}]` : hostname!;
    const url = `${this.transport === https ? 'https' : 'http'}://${host}${port ? `:${String(port)}` : ''}${path ?? '/'}`;
    const bytes = body instanceof Uint8Array ? body : Buffer.concat(body as Uint8Array[]);
    const sent = postSync(url, { ...headers as Record<string, string>, 'Content-Type': contentType }, bytes,
      Math.min(this.options.timeoutMs, SHUTDOWN_WAIT_MS));
    if (!sent) this.fault('sync', 'failed while the process was ending');
    return sent;
  }

  /**
   * An exporter's shutdown: closes `exports`, lets those under way finish without retries (at most
   * one attempt's timeout, at most 2 s), then aborts what is left (failed) and frees the sockets.
   * The reporter flushes, with retries, before it shuts an exporter down.
   */
  async shutdown(exports: ExportTracker): Promise<void> {
    this.retriesStopped = true;
    await exports.close(Math.min(this.options.timeoutMs, SHUTDOWN_WAIT_MS));
    this.aborted = true;
    for (const cancel of this.cancels) cancel();
    this.agent.destroy();
  }

  private fault(kind: string, detail: string): void {
    this.faults.note(`${this.label} ${kind}`, `${this.label}: POST ${this.where} ${detail}`);
  }

  private open(body: PostBody, contentType: string): http.ClientRequest | null {
    try {
      return this.transport.request({
        ...this.requestOptions,
        headers: { ...this.requestOptions.headers, 'Content-Type': contentType, 'Content-Length': String(byteLength(body)) },
      });
    } catch (error) {
      this.fault('request', `could not start: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  private attempt(body: PostBody, contentType: string): Promise<[Outcome, number | undefined]> {
    const request = this.open(body, contentType);
    if (request === null) return Promise.resolve(['failed', undefined]);
    return new Promise((resolve) => {
      let answered: Outcome | undefined;
      const settle = (outcome: Outcome, retryAfter?: number): void => {
        if (!this.cancels.delete(cancel)) return;
        clearTimeout(timer);
        resolve([outcome, retryAfter]);
      };
      const cancel = (): void => {
        request.destroy();
        settle(answered ?? 'failed');
      };
      this.cancels.add(cancel);
      const timer = setTimeout(() => request.destroy(new Error(`no response within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      timer.unref();
      request.on('error', (error: NodeJS.ErrnoException) => {
        this.fault(error.code ?? 'error', `failed: ${error.code ?? error.message}`);
        settle('retry');
      });
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        const outcome: Outcome = ok ? 'sent' : this.isRetryable(status) ? 'retry' : 'failed';
        answered = outcome;
        if (!ok) this.fault(`status ${status}`, `answered HTTP ${status}`);
        const retryAfter = outcome === 'retry' ? retryAfterMs(response.headers['retry-after']) : undefined;
        // The status decides: a 2xx whose body is cut short was still accepted.
        response.on('error', () => settle(outcome, retryAfter));
        response.on('close', () => settle(outcome, retryAfter));
        response.on('end', () => settle(outcome, retryAfter));
        response.resume();
      });
      writeBody(request, body);
    });
  }
}
