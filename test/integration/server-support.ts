// Shared by the server integration tests: an IntegrationContext around a test tracer, real
// servers on port 0, and a small HTTP client that does not go through any instrumentation.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IntegrationContext, InstrumentationOptions } from '../../src/plugins/integration.js';
import type { Tracer } from '../../src/tracer/tracer.js';
import type { SpanRecord } from '../../src/testing/index.js';

export interface TestContext extends IntegrationContext {
  /** Every fault reported by an integration; tests assert it stays empty. */
  readonly faults: { integration: string; error: unknown }[];
}

type ContextOptions = Omit<InstrumentationOptions, 'tracer' | 'include' | 'exclude'>;

export function integrationContext(tracer: Tracer | null, options: ContextOptions = {}): TestContext {
  const faults: { integration: string; error: unknown }[] = [];
  return {
    options: {
      ignoreUrls: options.ignoreUrls ?? [],
      ignorePaths: options.ignorePaths ?? [],
      errorOn4xx: options.errorOn4xx ?? false,
      callerNameHeaders: options.callerNameHeaders ?? [],
      recordSqlValues: options.recordSqlValues ?? false,
      recordS3Keys: false,
    },
    tracer: () => tracer,
    fault: (integration, error) => {
      faults.push({ integration, error });
    },
    faults,
  };
}

/** Listens on 127.0.0.1, port 0; fails loudly if the server cannot start. */
export async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function close(server: http.Server): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string;
  agent?: http.Agent | false;
}

/** A plain request with node:http (no client instrumentation is installed in these tests). */
export function get(port: number, path: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: options.agent,
    }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Polls until `count` spans are finished (spans finish after the response is on the wire). */
export async function waitForSpans(finishedSpans: () => SpanRecord[], count: number, timeoutMs = 5000): Promise<SpanRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = finishedSpans();
    if (spans.length >= count) return spans;
    if (Date.now() > deadline) throw new Error(`expected ${count} finished spans, got ${spans.length}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function serverSpans(spans: SpanRecord[]): SpanRecord[] {
  return spans.filter((span) => span.tags['span.kind'] === 'server');
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
