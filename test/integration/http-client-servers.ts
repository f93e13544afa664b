// Real local servers for the HTTP client tests: routes for every outcome a client must survive,
// and a record of what each request carried (raw headers, so duplicates show).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { installAllPatches, uninstallAllPatches } from '../../src/plugins/install.js';
import type { InstrumentationOptions } from '../../src/plugins/integration.js';
import { selfSignedCertificate } from '../support/https-cert.js';

export interface SeenRequest {
  method: string;
  url: string;
  rawHeaders: string[];
  /** The client's port: the same for requests that shared a keep-alive connection. */
  remotePort: number | undefined;
}

export interface TestServer {
  /** e.g. `http://127.0.0.1:12345` */
  origin: string;
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** Every value sent for header `name` (any case), in order. */
export function headerValues(request: SeenRequest, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i]!.toLowerCase() === name) values.push(request.rawHeaders[i + 1]!);
  }
  return values;
}

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const status = Number(url.searchParams.get('status') ?? 200);
  switch (url.pathname) {
    case '/redirect':
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/ok' }).end('moved');
      return;
    case '/hang': // never answers: for timeouts and aborts
      return;
    case '/hangup': // closes the connection without a response
      req.socket.destroy();
      return;
    case '/half': // sends headers and part of the body, then drops the connection
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => setTimeout(() => req.socket.destroy(), 20));
      return;
    case '/big':
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(4 * 1024 * 1024));
      return;
    case '/slow':
      setTimeout(() => res.end('slow'), Number(url.searchParams.get('ms') ?? 50));
      return;
    case '/echo': {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => res.writeHead(status).end(Buffer.concat(chunks)));
      return;
    }
    default:
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
  }
}

async function listen(server: http.Server, protocol: 'http' | 'https', host: string): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, remotePort: req.socket.remotePort });
    route(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    origin: `${protocol}://${hostInUrl}:${port}`,
    port,
    seen,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export function startHttpServer(host = '127.0.0.1'): Promise<TestServer> {
  return listen(http.createServer({ keepAliveTimeout: 5000 }), 'http', host);
}

export function startHttpsServer(host = '127.0.0.1'): Promise<TestServer> {
  return listen(https.createServer({ ...selfSignedCertificate(), keepAliveTimeout: 5000 }), 'https', host);
}

/** Polls until `count` spans are finished (or fails after `timeoutMs`). */
export async function waitForSpans<T>(finished: () => T[], count: number, timeoutMs = 3000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const spans = finished();
    if (spans.length >= count) return spans;
    if (Date.now() > deadline) throw new Error(`expected ${count} finished spans, got ${spans.length}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Runs `fn` with the patches `options` install, then puts back the ones `restore` installs. */
export async function withPatches(options: InstrumentationOptions, restore: InstrumentationOptions, fn: () => Promise<void>): Promise<void> {
  uninstallAllPatches();
  installAllPatches(options);
  try {
    await fn();
  } finally {
    uninstallAllPatches();
    installAllPatches(restore);
  }
}
