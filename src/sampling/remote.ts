import http from 'node:http';
import https from 'node:https';
import type { Logger, Sampler, SamplingDecision } from '../tracer/types.js';
import { markInternal } from '../tracer/internal-requests.js';
import { parseStrategy, samplerFor } from './remote-strategy.js';

export interface RemoteSamplerOptions {
  serviceName: string;
  /** `http://host:port/sampling`; `?service=NAME` is appended. */
  samplingUrl: string;
  refreshIntervalMs: number;
  /** Applies until the first valid strategy arrives, and whenever polling fails. */
  initialSampler: Sampler;
  logger: Logger;
  /** Distinct operation names given their own sampler under a per-operation strategy (default 2000). */
  maxOperations?: number;
  /** Per poll (default 5000 ms). */
  requestTimeoutMs?: number;
  /** Delay before the first poll (default 0: as soon as the event loop turns). */
  firstPollDelayMs?: number;
  /** Told of each poll's outcome (jaeger-client's sampler query and update metrics). */
  onPoll?: (outcome: PollOutcome) => void;
}

/** `query-failed`: no answer; `retrieved`: an answer; then `updated` (a new strategy) or `update-failed` (malformed). */
export type PollOutcome = 'query-failed' | 'retrieved' | 'updated' | 'update-failed';

function samplingRequestUrl(samplingUrl: string, serviceName: string): URL | null {
  try {
    const url = new URL(samplingUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.searchParams.set('service', serviceName);
    return url;
  } catch {
    return null;
  }
}

/** Strategy documents are small; anything bigger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Samples as a Jaeger sampling manager says: it polls `samplingUrl?service=NAME` on an unref'd
 * timer and swaps in the probabilistic, rate-limiting or per-operation sampler the answer
 * describes. Until a valid answer arrives, and whenever a poll fails (unreachable, timeout,
 * non-200, malformed), the sampler in force stays: the initial one, then the last valid one.
 */
export class RemoteSampler implements Sampler {
  private current: Sampler;
  /** The strategy in force, as JSON: an identical answer keeps the sampler (and its rate state). */
  private currentStrategy = '';
  private readonly url: URL | null;
  private readonly agent: http.Agent;
  private timer: NodeJS.Timeout | null = null;
  private request: http.ClientRequest | null = null;
  private lastProblem = '';
  private closed = false;

  constructor(private readonly options: RemoteSamplerOptions) {
    this.current = options.initialSampler;
    this.url = samplingRequestUrl(options.samplingUrl, options.serviceName);
    this.agent = markInternal(new (this.url?.protocol === 'https:' ? https : http).Agent({ keepAlive: false }));
    if (this.url === null) {
      this.closed = true;
      options.logger.warn?.(`remote sampler: ${JSON.stringify(options.samplingUrl)} is not an http(s) URL; the initial sampler stays`);
    }
    this.schedule(options.firstPollDelayMs ?? 0);
  }

  isSampled(operationName: string, traceWords: readonly number[]): SamplingDecision {
    return this.current.isSampled(operationName, traceWords);
  }

  /** Polls now. Resolves true when a valid strategy is in force afterwards; never rejects. */
  async refresh(): Promise<boolean> {
    if (this.closed) return false;
    let body: string;
    try {
      body = await this.fetch();
    } catch (error) {
      this.problem(error instanceof Error ? error.message : String(error));
      this.told('query-failed');
      return false;
    }
    this.told('retrieved');
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      this.problem('the answer is not JSON');
      this.told('update-failed');
      return false;
    }
    const strategy = parseStrategy(document);
    if (strategy instanceof Error) {
      this.problem(`malformed strategy: ${strategy.message}`);
      this.told('update-failed');
      return false;
    }
    const key = JSON.stringify(strategy);
    if (key !== this.currentStrategy && !this.closed) {
      this.current = samplerFor(strategy, this.options.maxOperations ?? 2000);
      this.currentStrategy = key;
      this.told('updated');
    }
    this.lastProblem = '';
    return true;
  }

  /** Stops polling and aborts a poll in flight; the sampler in force keeps deciding. */
  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.request?.destroy();
    this.agent.destroy();
  }

  private told(outcome: PollOutcome): void {
    try {
      this.options.onPoll?.(outcome);
    } catch {
      // a throwing metrics backend must not stop polling
    }
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(this.poll, delayMs);
    this.timer.unref();
  }

  private readonly poll = (): void => {
    this.timer = null;
    void this.refresh().finally(() => this.schedule(this.options.refreshIntervalMs));
  };

  // One warning per distinct problem until a poll succeeds again: a sampling manager that is down
  // for hours does not flood the log.
  private problem(reason: string): void {
    if (this.closed || reason === this.lastProblem) return;
    this.lastProblem = reason;
    try {
      this.options.logger.warn?.(`remote sampler: no strategy from ${this.url!.origin}${this.url!.pathname} (${reason}); keeping the current sampler`);
    } catch {
      // a throwing logger must not stop polling
    }
  }

  private fetch(): Promise<string> {
    const url = this.url!;
    const timeoutMs = this.options.requestTimeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      let deadline: NodeJS.Timeout | undefined;
      const fail = (reason: string): void => {
        clearTimeout(deadline);
        reject(new Error(reason));
      };
      const get = url.protocol === 'https:' ? https.get : http.get;
      const request = get(url, { agent: this.agent, headers: { accept: 'application/json' } }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          fail(`HTTP ${response.statusCode ?? 0}`);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) request.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(deadline);
          resolve(Buffer.concat(chunks).toString('utf8'));
        });
        response.on('close', () => {
          if (!response.complete) fail('the answer was cut short');
        });
      });
      this.request = request;
      deadline = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      deadline.unref();
      request.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
      request.on('close', () => {
        if (this.request === request) this.request = null;
      });
    });
  }
}
