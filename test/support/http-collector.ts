import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A status to answer (optionally with headers), or 'hang' to never answer. */
export type Answer = number | 'hang' | { status: number; headers: Record<string, string> };

export interface HttpCollector {
  /** `http://127.0.0.1:<port>`: append the path the exporter posts to. */
  readonly origin: string;
  /** Every request received so far, with its whole body. */
  readonly received: ReceivedRequest[];
  /** Answers for the next requests, in order; once used up, every request gets `defaultStatus`. */
  answers: Answer[];
  /** Forgets the requests received and the answers left. */
  reset(): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, port 0, standing in for a trace collector (Jaeger, OTLP). */
export async function startHttpCollector(defaultStatus: number): Promise<HttpCollector> {
  const received: ReceivedRequest[] = [];
  const collector = {
    received,
    answers: [] as Answer[],
    reset(): void {
      received.length = 0;
      collector.answers = [];
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      const answer = collector.answers.shift() ?? defaultStatus;
      if (answer === 'hang') return;
      if (typeof answer === 'number') res.writeHead(answer).end();
      else res.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(collector, {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async (): Promise<void> => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A loopback port nothing listens on (it was free a moment ago): connections are refused. */
export async function refusingPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
