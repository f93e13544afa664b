import http from 'node:http';
import https from 'node:https';
import type { FaultLog } from '../tracer/logger.js';
import { markInternal } from '../tracer/internal-requests.js';

export interface HttpPostOptions {
  /** Sent with every request; values are never logged. */
  headers: Record<string, string>;
  /** Per attempt, from request to the end of the response. */
  timeoutMs: number;
  /** Retries after a network error, a timeout, 429, 502, 503 or 504. */
  maxRetries: number;
  /** First retry delay; doubles each retry, with jitter. A Retry-After of up to 5 s is honoured. */
  retryDelayMs: number;
}

type Outcome = 'sent' | 'retry' | 'failed';

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 5000;

function delay(ms: number): Promise<void> {
  // unref'd: a pending retry alone does not hold the process open (close() keeps it up meanwhile)
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
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
  /** The endpoint without userinfo or query, for messages. */
  readonly where: string;
  /** Set when a post used up its retries; until a post succeeds again, posts try once. */
  private unreachable = false;

  constructor(endpoint: string, private readonly options: HttpPostOptions, private readonly faults: FaultLog, private readonly label: string) {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${label}: endpoint must be an http: or https: URL`);
    this.where = `${url.protocol}//${url.host}${url.pathname}`;
    this.transport = url.protocol === 'https:' ? https : http;
    this.agent = markInternal(new this.transport.Agent({ keepAlive: true }));
    const headers: Record<string, string> = { ...options.headers };
    if (url.username !== '' && !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
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
  async post(body: Uint8Array, contentType: string): Promise<boolean> {
    const maxRetries = this.unreachable ? 0 : this.options.maxRetries;
    for (let attempt = 0; ; attempt++) {
      const [outcome, retryAfter] = await this.attempt(body, contentType);
      if (outcome === 'sent') {
        this.unreachable = false;
        return true;
      }
      if (outcome === 'failed') return false;
      if (attempt >= maxRetries) {
        this.unreachable = true;
        return false;
      }
      await delay(retryAfter ?? this.options.retryDelayMs * 2 ** attempt * (0.5 + Math.random() / 2));
    }
  }

  /** Frees idle keep-alive sockets (and any still open). */
  destroy(): void {
    this.agent.destroy();
  }

  private fault(kind: string, detail: string): void {
    this.faults.report(`${this.label} ${kind}`, new Error(`${this.label}: POST ${this.where} ${detail}`));
  }

  private attempt(body: Uint8Array, contentType: string): Promise<[Outcome, number | undefined]> {
    return new Promise((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: Outcome, retryAfter?: number): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve([outcome, retryAfter]);
      };
      let request: http.ClientRequest;
      try {
        request = this.transport.request({
          ...this.requestOptions,
          headers: { ...this.requestOptions.headers, 'Content-Type': contentType, 'Content-Length': String(body.byteLength) },
        });
      } catch (error) {
        this.fault('request', `could not start: ${error instanceof Error ? error.message : String(error)}`);
        settle('failed');
        return;
      }
      timer = setTimeout(() => request.destroy(new Error(`no response within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      timer.unref();
      request.on('error', (error: NodeJS.ErrnoException) => {
        this.fault(error.code ?? 'error', `failed: ${error.code ?? error.message}`);
        settle('retry');
      });
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        const outcome: Outcome = ok ? 'sent' : RETRYABLE_STATUS.has(status) ? 'retry' : 'failed';
        if (!ok) this.fault(`status ${status}`, `answered HTTP ${status}`);
        const retryAfter = outcome === 'retry' ? retryAfterMs(response.headers['retry-after']) : undefined;
        // The status decides: a 2xx whose body is cut short was still accepted.
        response.on('error', () => settle(outcome, retryAfter));
        response.on('close', () => settle(outcome, retryAfter));
        response.on('end', () => settle(outcome, retryAfter));
        response.resume();
      });
      request.end(body);
    });
  }
}
