// The viewer: every receiver, the store, the sampling endpoint and the UI, started together and
// closed together. A port that cannot be bound closes what already started and rejects with a
// one-line PortError naming the port and its flag.
import type dgram from 'node:dgram';
import http from 'node:http';
import type { ViewerSpan } from './model.js';
import { StoreFileWriter, loadStoreFile } from './persistence.js';
import { COLLECTOR_ROUTE, OTLP_ROUTE, bodyReceiver, listenHttp, newReceiverStats, startUdp } from './receivers.js';
import type { ReceiverStats } from './receivers.js';
import { SamplingStrategies } from './sampling.js';
import { TraceStore } from './store.js';
import { uiHandler } from './ui-server.js';

export interface ViewerOptions {
  host?: string;
  /** Jaeger agent, compact Thrift (6831). */
  udpPort?: number;
  /** Jaeger agent, binary Thrift (6832). */
  udpBinaryPort?: number;
  /** Jaeger collector HTTP (14268). */
  collectorPort?: number;
  /** OTLP/HTTP (4318). */
  otlpPort?: number;
  /** Web UI and query API (16686). */
  uiPort?: number;
  /** Sampling manager (5778). */
  samplingPort?: number;
  samplingStrategies?: string;
  store?: string;
  maxSpans?: number;
  maxBytes?: number;
  maxBodyBytes?: number;
  warn?: (message: string) => void;
}

export const DEFAULT_PORTS = { udpPort: 6831, udpBinaryPort: 6832, collectorPort: 14268, otlpPort: 4318, uiPort: 16686, samplingPort: 5778 } as const;
export const DEFAULT_MAX_SPANS = 100_000;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface ViewerPorts {
  udpPort: number;
  udpBinaryPort: number;
  collectorPort: number;
  otlpPort: number;
  uiPort: number;
  samplingPort: number;
}

export interface Viewer {
  readonly host: string;
  readonly ports: ViewerPorts;
  readonly store: TraceStore;
  readonly receivers: Record<'udpCompact' | 'udpBinary' | 'collector' | 'otlp', ReceiverStats>;
  /** Spans read back from `--store` at start, and lines skipped there. */
  readonly loaded: { spans: number; skippedLines: number };
  uiUrl(path?: string): string;
  /** Adds spans as a receiver does (used by tests and benchmarks). */
  ingest(spans: ViewerSpan[]): void;
  close(): Promise<void>;
}

const closeServer = (server: http.Server): Promise<void> => new Promise((resolve) => {
  server.close(() => resolve());
  server.closeAllConnections();
});

export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const host = options.host ?? '127.0.0.1';
  const warn = options.warn ?? ((message: string) => process.stderr.write(`viewer: ${message}\n`));
  const store = new TraceStore({ maxSpans: options.maxSpans ?? DEFAULT_MAX_SPANS, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES });
  const loaded = options.store !== undefined ? loadStoreFile(options.store, store) : { spans: 0, skippedLines: 0 };
  if (loaded.skippedLines > 0) warn(`${options.store}: skipped ${loaded.skippedLines} unreadable line(s)`);
  const writer = options.store !== undefined ? new StoreFileWriter(options.store, store) : undefined;
  const ingest = (spans: ViewerSpan[]): void => {
    if (spans.length === 0) return;
    store.add(spans);
    writer?.append(spans);
  };
  const receivers = { udpCompact: newReceiverStats(), udpBinary: newReceiverStats(), collector: newReceiverStats(), otlp: newReceiverStats() };
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const sampling = new SamplingStrategies(options.samplingStrategies, warn);

  const sockets: dgram.Socket[] = [];
  const servers: http.Server[] = [];
  const ports = {} as ViewerPorts;
  const stats = (): Record<string, unknown> => {
    const sum = (key: 'spans' | 'malformed' | 'tooLarge'): number => Object.values(receivers).reduce((n, r) => n + r[key], 0);
    return {
      service: 'opentracing-async-instrumentation viewer',
      host, ports, storedSpans: store.spanCount, storedTraces: store.traceCount, storedBytes: store.bytes,
      evictedTraces: store.evictedTraces, duplicateSpans: store.duplicateSpans,
      receivedSpans: sum('spans'), malformed: sum('malformed'), tooLarge: sum('tooLarge'), receivers,
      maxSpans: store.limits.maxSpans, maxBytes: store.limits.maxBytes, storeFile: options.store ?? null,
      storeWriteErrors: writer?.writeErrors ?? 0,
    };
  };
  const http1 = (handler: http.RequestListener): http.Server => {
    const server = http.createServer({ keepAliveTimeout: 5000 }, handler);
    servers.push(server);
    return server;
  };
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.close();
    await Promise.all(servers.map(closeServer));
    await writer?.close();
  };
  try {
    const want = (key: keyof ViewerPorts): number => options[key] ?? DEFAULT_PORTS[key];
    sockets.push(await startUdp(host, want('udpPort'), '--udp-port', receivers.udpCompact, ingest));
    ports.udpPort = sockets[0]!.address().port;
    sockets.push(await startUdp(host, want('udpBinaryPort'), '--udp-binary-port', receivers.udpBinary, ingest));
    ports.udpBinaryPort = sockets[1]!.address().port;
    ports.collectorPort = await listenHttp(http1(bodyReceiver(COLLECTOR_ROUTE, receivers.collector, ingest, maxBody)), host, want('collectorPort'), '--collector-port');
    ports.otlpPort = await listenHttp(http1(bodyReceiver(OTLP_ROUTE, receivers.otlp, ingest, maxBody)), host, want('otlpPort'), '--otlp-port');
    ports.samplingPort = await listenHttp(http1((req, res) => {
      const url = new URL(req.url ?? '/', 'http://sampling');
      const service = url.searchParams.get('service');
      if ((url.pathname !== '/sampling' && url.pathname !== '/') || service === null) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end("'service' parameter must be provided once\n");
        return;
      }
      const body = JSON.stringify(sampling.strategyFor(service));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    }), host, want('samplingPort'), '--sampling-port');
    ports.uiPort = await listenHttp(http1(uiHandler({ store, stats })), host, want('uiPort'), '--ui-port');
  } catch (error) {
    await close();
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    host, ports, store, receivers, loaded, ingest, close,
    uiUrl: (path = '/') => `http://${urlHost}:${ports.uiPort}${path}`,
  };
}
