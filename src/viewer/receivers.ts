// Where spans arrive: UDP datagrams (Jaeger agent), the Jaeger collector's HTTP endpoint and
// OTLP/HTTP. Each hands decoded spans to `ingest`; whatever does not decode is counted and dropped,
// and a body over the limit (before or after gunzip) is refused with 413.
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip } from 'node:zlib';
import { decodeAgentDatagram, decodeBinaryBatch } from './jaeger-thrift.js';
import type { ViewerSpan } from './model.js';
import { MalformedInput } from './model.js';
import { decodeOtlpJson } from './otlp-json.js';
import { decodeOtlpProto } from './otlp-proto.js';

export interface ReceiverStats {
  spans: number;
  batches: number;
  malformed: number;
  tooLarge: number;
  lastError: string;
}

export function newReceiverStats(): ReceiverStats {
  return { spans: 0, batches: 0, malformed: 0, tooLarge: 0, lastError: '' };
}

export type Ingest = (spans: ViewerSpan[]) => void;

/** A port that cannot be bound, named with the flag that sets it. */
export class PortError extends Error {}

export function listenError(error: NodeJS.ErrnoException, port: number, flag: string): PortError {
  if (error.code === 'EADDRINUSE') return new PortError(`port ${port} is already in use (${flag}); choose another with ${flag} PORT, or 0 for any free port`);
  if (error.code === 'EACCES') return new PortError(`port ${port} needs privileges (${flag})`);
  return new PortError(`cannot listen on port ${port} (${flag}): ${error.message}`);
}

function decodeInto(stats: ReceiverStats, ingest: Ingest, decode: () => ViewerSpan[]): boolean {
  let spans: ViewerSpan[];
  try {
    spans = decode();
  } catch (error) {
    stats.malformed++;
    // Only decoder faults are expected here; anything else is also dropped, never thrown.
    stats.lastError = error instanceof MalformedInput ? error.message : `decoder fault: ${String(error)}`;
    return false;
  }
  stats.batches++;
  stats.spans += spans.length;
  ingest(spans);
  return true;
}

export async function startUdp(host: string, port: number, flag: string, stats: ReceiverStats, ingest: Ingest): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  socket.on('message', (datagram) => {
    decodeInto(stats, ingest, () => decodeAgentDatagram(datagram));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error) => reject(listenError(error, port, flag)));
    socket.bind(port, host, () => resolve());
  });
  socket.on('error', (error) => {
    stats.lastError = error.message;
  });
  return socket;
}

export class BodyTooLarge extends Error {}

/** The request body, gunzipped when it says so; rejects with BodyTooLarge past `maxBytes`. */
export function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new BodyTooLarge());
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') return Promise.reject(new MalformedInput(`unsupported content-encoding ${encoding}`));
  const source = encoding === 'gzip' ? req.pipe(createGunzip()) : req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const finish = (error: Error | null): void => {
      if (done) return;
      done = true;
      if (error !== null) {
        if (source !== req) source.destroy();
        req.resume(); // drain what is left so the socket can answer
        reject(error);
      } else resolve(Buffer.concat(chunks, length));
    };
    source.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) finish(new BodyTooLarge());
      else chunks.push(chunk);
    });
    source.on('end', () => finish(null));
    source.on('error', (error) => finish(new MalformedInput(`cannot read the body: ${error.message}`)));
    req.on('aborted', () => finish(new MalformedInput('request aborted')));
  });
}

export interface BodyRoute {
  method: 'POST';
  path: string;
  decode(body: Buffer, contentType: string): ViewerSpan[];
  /** Status and body of a successful answer. */
  ok(contentType: string): { status: number; type: string; body: string | Buffer };
}

export const COLLECTOR_ROUTE: BodyRoute = {
  method: 'POST',
  path: '/api/traces',
  decode: (body) => decodeBinaryBatch(body),
  ok: () => ({ status: 202, type: 'text/plain', body: '' }),
};

const isJson = (contentType: string): boolean => contentType.includes('json');

export const OTLP_ROUTE: BodyRoute = {
  method: 'POST',
  path: '/v1/traces',
  decode: (body, contentType) => (isJson(contentType) ? decodeOtlpJson(body) : decodeOtlpProto(body)),
  // An empty ExportTraceServiceResponse: no bytes in protobuf, `{}` in JSON.
  ok: (contentType) => (isJson(contentType) ? { status: 200, type: 'application/json', body: '{}' } : { status: 200, type: 'application/x-protobuf', body: Buffer.alloc(0) }),
};

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function bodyReceiver(route: BodyRoute, stats: ReceiverStats, ingest: Ingest, maxBodyBytes: number): http.RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== route.path) return send(res, 404, 'text/plain', `not found: this port receives ${route.method} ${route.path}\n`);
    if (req.method !== route.method) return send(res, 405, 'text/plain', `use ${route.method}\n`);
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    readBody(req, maxBodyBytes).then(
      (body) => {
        if (decodeInto(stats, ingest, () => route.decode(body, contentType))) {
          const answer = route.ok(contentType);
          send(res, answer.status, answer.type, answer.body);
        } else send(res, 400, 'text/plain', `malformed: ${stats.lastError}\n`);
      },
      (error: Error) => {
        if (error instanceof BodyTooLarge) {
          stats.tooLarge++;
          res.setHeader('connection', 'close');
          send(res, 413, 'text/plain', `body over ${maxBodyBytes} bytes\n`);
        } else {
          stats.malformed++;
          stats.lastError = error.message;
          send(res, 400, 'text/plain', `${error.message}\n`);
        }
      },
    );
  };
}

export async function listenHttp(server: http.Server, host: string, port: number, flag: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(listenError(error, port, flag));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
