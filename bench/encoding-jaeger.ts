// Jaeger Thrift encoding and finish→datagram cost per span, side by side with jaeger-client
// (ThriftUtils.spanToThrift + thriftrw, and its RemoteReporter + UDPSender) in the same process.
// The UDP sink is a socket in this process that counts what arrives.
import { createRequire } from 'node:module';
import dgram from 'node:dgram';
import { initTracer } from '../src/config/init.js';
import { SpanContext } from '../src/tracer/span-context.js';
import type { Span } from '../src/tracer/span.js';
import { ThriftSink } from '../src/encoding/thrift-sink.js';
import { writeCompactSpan } from '../src/encoding/jaeger-compact.js';
import { writeBinarySpan } from '../src/encoding/jaeger-binary.js';
import { JaegerUdpExporter } from '../src/reporting/jaeger-udp.js';
import { env, measure, measureAsync, table } from './harness.js';

const require = createRequire(import.meta.url);

interface JaegerSpan { setTag(key: string, value: unknown): unknown; finish(): void; context(): unknown }
interface JaegerTracer { startSpan(name: string, options?: { childOf?: unknown }): JaegerSpan; close(callback?: () => void): void }
const jaeger = require('jaeger-client') as {
  Tracer: new (service: string, reporter: unknown, sampler: unknown) => JaegerTracer;
  NoopReporter: new () => unknown;
  RemoteReporter: new (sender: unknown, options?: { bufferFlushInterval?: number; logger?: unknown }) => { flush(callback: () => void): void };
  ConstSampler: new (decision: boolean) => unknown;
};
interface RwStruct { rw: { byteLength(value: unknown): { length: number }; writeInto(value: unknown, buffer: Buffer, offset: number): { err: Error | null; offset: number } } }
const ThriftUtils = (require('jaeger-client/dist/src/thrift') as { default: { spanToThrift(span: unknown): unknown; _thrift: { Span: RwStruct & (new (fields: unknown) => unknown) } } }).default;
const UDPSender = (require('jaeger-client/dist/src/reporters/udp_sender') as { default: new (options: object) => unknown }).default;

const SERVER_TAGS: Record<string, string | number> = {
  'span.kind': 'server', component: 'http', 'http.method': 'GET', 'http.url': '/orders/42?expand=items',
  'http.route': '/orders/:id', 'http.status_code': 200, 'peer.ipv4': '127.0.0.1',
};
const CHILD_TAGS: Record<string, string | number> = { 'http.method': 'GET', 'http.status_code': 200 };
const SHAPES = [
  { label: 'server span (7 tags)', name: 'GET /orders/:id', tags: SERVER_TAGS },
  { label: 'child span (2 tags)', name: 'GET inventory', tags: CHILD_TAGS },
];
const SPANS_PER_EXPORT = 1000;
const silent = { error() {}, warn() {}, info() {} };

function ourTracer(collect: Span[]) {
  return initTracer({ serviceName: 'bench', global: false, sampler: { type: 'const', param: 1 } },
    { reporter: { report: (span) => collect.push(span), async flush() {}, async close() {} }, logger: silent });
}

function makeOurs(collect: Span[], tracer: ReturnType<typeof ourTracer>, parent: SpanContext, name: string, tags: Record<string, unknown>): void {
  const span = tracer.startSpan(name, { childOf: parent });
  for (const key in tags) span.setTag(key, tags[key]);
  span.finish();
}

function makeJaeger(tracer: JaegerTracer, parent: unknown, name: string, tags: Record<string, unknown>): JaegerSpan {
  const span = tracer.startSpan(name, { childOf: parent });
  for (const key in tags) span.setTag(key, tags[key]);
  span.finish();
  return span;
}

async function udpSink(): Promise<{ port: number; datagrams: () => number; close: () => void }> {
  const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  let count = 0;
  socket.on('message', () => count++);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, datagrams: () => count, close: () => socket.close() };
}

async function encodingRows(): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  const collected: Span[] = [];
  const tracer = ourTracer(collected);
  const parent = new SpanContext([0x1234, 0x5678, 0x9abc, 0xdef0], 0x1111, 0x2222, 0, 0, 1, null);
  const jaegerTracer = new jaeger.Tracer('bench', new jaeger.NoopReporter(), new jaeger.ConstSampler(true));
  const jaegerParent = jaegerTracer.startSpan('parent').context();
  const sink = new ThriftSink(1 << 16);
  const jaegerBuffer = Buffer.alloc(1 << 16);
  const ThriftSpan = ThriftUtils._thrift.Span;
  for (const shape of SHAPES) {
    makeOurs(collected, tracer, parent, shape.name, shape.tags);
    const span = collected.pop()!;
    const jaegerSpan = makeJaeger(jaegerTracer, jaegerParent, shape.name, shape.tags);
    sink.off = 0;
    writeCompactSpan(sink, span);
    const compactBytes = sink.off;
    sink.off = 0;
    writeBinarySpan(sink, span);
    const binaryBytes = sink.off;
    const compactNs = await measure(() => {
      sink.off = 0;
      writeCompactSpan(sink, span);
    });
    const binaryNs = await measure(() => {
      sink.off = 0;
      writeBinarySpan(sink, span);
    });
    // What jaeger-client does per span: convert, size it on append, convert and write at flush.
    let jaegerBytes = 0;
    const jaegerNs = await measure(() => {
      const thriftSpan = ThriftUtils.spanToThrift(jaegerSpan);
      jaegerBytes = ThriftSpan.rw.byteLength(new ThriftSpan(thriftSpan)).length;
      ThriftSpan.rw.writeInto(new ThriftSpan(thriftSpan), jaegerBuffer, 0);
    });
    const mbps = (bytes: number, ns: number): number => (bytes / ns) * 1e3;
    rows.push([shape.label, compactNs, binaryNs, jaegerNs, Math.round(1e9 / compactNs), mbps(compactBytes, compactNs), mbps(binaryBytes, binaryNs),
      mbps(jaegerBytes, jaegerNs), `${compactBytes} / ${binaryBytes} / ${jaegerBytes}`, jaegerNs / compactNs]);
  }
  return rows;
}

async function endToEndRows(): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  const sink = await udpSink();
  const collected: Span[] = [];
  const tracer = ourTracer(collected);
  const parent = new SpanContext([0x1234, 0x5678, 0x9abc, 0xdef0], 0x1111, 0x2222, 0, 0, 1, null);
  const exporter = new JaegerUdpExporter({ host: '127.0.0.1', port: sink.port, maxPacketSize: 65_000, protocol: 'compact' },
    { serviceName: 'bench', processTags: { hostname: 'bench-host', 'jaeger.version': 'bench' }, logger: silent });
  const reporter = new jaeger.RemoteReporter(new UDPSender({ host: '127.0.0.1', port: sink.port, maxPacketSize: 65_000 }),
    { bufferFlushInterval: 3_600_000, logger: silent });
  const jaegerTracer = new jaeger.Tracer('bench', reporter, new jaeger.ConstSampler(true));
  const jaegerParent = jaegerTracer.startSpan('parent').context();
  const noopTracer = new jaeger.Tracer('bench', new jaeger.NoopReporter(), new jaeger.ConstSampler(true));
  const options = { batch: 1, samples: 21, warmup: 5 };
  for (const shape of SHAPES) {
    const oursSpanOnly = await measureAsync(async () => {
      for (let i = 0; i < SPANS_PER_EXPORT; i++) makeOurs(collected, tracer, parent, shape.name, shape.tags);
      collected.length = 0;
    }, options);
    const oursFull = await measureAsync(async () => {
      for (let i = 0; i < SPANS_PER_EXPORT; i++) makeOurs(collected, tracer, parent, shape.name, shape.tags);
      const result = await exporter.export(collected);
      if (result.sent !== SPANS_PER_EXPORT) throw new Error(`exported ${JSON.stringify(result)}`);
      collected.length = 0;
    }, options);
    const jaegerSpanOnly = await measureAsync(async () => {
      for (let i = 0; i < SPANS_PER_EXPORT; i++) makeJaeger(noopTracer, jaegerParent, shape.name, shape.tags);
    }, options);
    const jaegerFull = await measureAsync(async () => {
      for (let i = 0; i < SPANS_PER_EXPORT; i++) makeJaeger(jaegerTracer, jaegerParent, shape.name, shape.tags);
      await new Promise<void>((resolve) => reporter.flush(resolve));
    }, options);
    const per = (ns: number): number => ns / SPANS_PER_EXPORT;
    rows.push([`${shape.label}: start + tags + finish + encode + send`, per(oursFull), per(jaegerFull), jaegerFull / oursFull]);
    rows.push([`${shape.label}: of which encode + send`, per(oursFull - oursSpanOnly), per(jaegerFull - jaegerSpanOnly),
      (jaegerFull - jaegerSpanOnly) / (oursFull - oursSpanOnly)]);
  }
  await exporter.shutdown();
  await new Promise<void>((resolve) => jaegerTracer.close(resolve));
  await new Promise((resolve) => setTimeout(resolve, 50));
  rows.push(['datagrams received by the sink (both)', sink.datagrams(), '', '']);
  sink.close();
  return rows;
}

async function main(): Promise<void> {
  console.log(table(`Jaeger Thrift encoding per span, ns (median of 31 samples; ${env()})`,
    ['span', 'ours compact', 'ours binary', 'jaeger-client', 'ours compact spans/s', 'ours compact MB/s', 'ours binary MB/s', 'jaeger-client MB/s',
      'bytes compact / binary / jaeger-client', 'jaeger-client / ours compact'],
    await encodingRows()));
  console.log(table(`finish → UDP datagram per span, ns (${SPANS_PER_EXPORT} spans per export, median of 21; ${env()})`,
    ['case', 'ours (compact, JaegerUdpExporter)', 'jaeger-client (RemoteReporter + UDPSender)', 'jaeger-client / ours'],
    await endToEndRows()));
}

void main();
