// The viewer: spans ingested per second over UDP compact Thrift and OTLP protobuf on one core, and
// the time to render a 5 000-span trace page. Ingest is measured twice: decode + store in this
// process (pure CPU, one core), and end to end with the viewer in a child process, counting that
// process's CPU time only (the sender's is not charged). Rendering: server time for the HTML, and
// chromium's load of the page when /usr/bin/chromium exists.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { packSpans } from '../src/encoding/jaeger-batch.js';
import { compactAgentFormat } from '../src/encoding/jaeger-envelopes.js';
import { OtlpProtoEncoder } from '../src/encoding/otlp-proto.js';
import { initTracer } from '../src/config/init.js';
import type { Span } from '../src/tracer/span.js';
import { decodeAgentDatagram } from '../src/viewer/jaeger-thrift.js';
import type { ViewerSpan } from '../src/viewer/model.js';
import { decodeOtlpProto } from '../src/viewer/otlp-proto.js';
import { TraceStore } from '../src/viewer/store.js';
import { startViewer } from '../src/viewer/viewer.js';
import { traceBody } from '../src/viewer/ui/trace-page.js';
import type { ViewerPorts } from '../src/viewer/viewer.js';
import { env, median, table } from './harness.js';

const PROCESS_TAGS = { hostname: 'bench-host', ip: '10.0.0.7', 'client-uuid': '6f1c2d3e', 'jaeger.version': 'bench' };
const TRACES = 3000; // 4 spans each: a server span (7 tags) and three children (2 tags)

function makeSpans(): Span[] {
  const spans: Span[] = [];
  const tracer = initTracer({ serviceName: 'bench', global: false, sampler: { type: 'const', param: 1 } }, { reporter: { report: (span) => spans.push(span), async flush() {}, async close() {} } });
  for (let t = 0; t < TRACES; t++) {
    const root = tracer.startSpan('GET /orders/:id', { tags: { 'span.kind': 'server', component: 'http', 'http.method': 'GET', 'http.url': '/orders/42?expand=items', 'http.route': '/orders/:id', 'http.status_code': 200, 'peer.ipv4': '127.0.0.1' } });
    for (let c = 0; c < 3; c++) tracer.startSpan('GET inventory', { childOf: root, tags: { 'http.method': 'GET', 'http.status_code': 200 } }).finish();
    root.finish();
  }
  return spans;
}

const spans = makeSpans();
const datagrams = packSpans(compactAgentFormat('bench', PROCESS_TAGS), spans, 65_000).batches.map((b) => Buffer.concat(b.parts));
const otlpBodies: Buffer[] = [];
for (let i = 0; i < spans.length; i += 1000) otlpBodies.push(Buffer.from(new OtlpProtoEncoder({ serviceName: 'bench', processTags: PROCESS_TAGS }).encode(spans.slice(i, i + 1000))));

function inProcess(label: string, bodies: readonly Buffer[], decode: (body: Buffer) => ViewerSpan[]): (string | number)[] {
  const rounds: number[] = [];
  for (let round = 0; round < 12; round++) {
    const store = new TraceStore({ maxSpans: 1_000_000, maxBytes: 4 * 1024 ** 3 });
    const start = process.cpuUsage();
    for (const body of bodies) store.add(decode(body));
    const cpu = process.cpuUsage(start);
    if (round >= 2) rounds.push(spans.length / ((cpu.user + cpu.system) / 1e6));
  }
  const rate = median(rounds);
  return [label, bodies.length, Math.round(spans.length / bodies.length), Math.round(rate), (1e9 / rate / 1000).toFixed(2)];
}

async function startChild(): Promise<{ child: ChildProcess; ports: ViewerPorts; stats(): Promise<{ spans: number; cpuMicros: number }> }> {
  const child = fork(fileURLToPath(new URL('./viewer-child.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
  const ports = await new Promise<ViewerPorts>((resolve) => child.once('message', (m: { ports: ViewerPorts }) => resolve(m.ports)));
  const stats = (): Promise<{ spans: number; cpuMicros: number }> => new Promise((resolve) => {
    child.once('message', (m: { spans: number; cpuMicros: number }) => resolve(m));
    child.send('stats');
  });
  return { child, ports, stats };
}

async function untilStable(stats: () => Promise<{ spans: number; cpuMicros: number }>, target: number): Promise<{ spans: number; cpuMicros: number }> {
  let last = await stats();
  for (let i = 0; i < 100 && last.spans < target; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await stats();
    if (now.spans === last.spans && i > 10) return now;
    last = now;
  }
  return last;
}

async function endToEnd(): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  const viewer = await startChild();
  // UDP compact: paced bursts so the kernel's receive buffer (not the viewer) is not what drops.
  const socket = dgram.createSocket('udp4');
  socket.connect(viewer.ports.udpPort, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let before = await viewer.stats();
  let sent = 0;
  const started = performance.now();
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < datagrams.length; i++) {
      // every round, fresh span ids would need re-encoding; duplicates still cost the full decode
      await new Promise<void>((resolve) => socket.send(datagrams[i]!, () => resolve()));
      sent += Math.round(spans.length / datagrams.length);
      if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  let after = await untilStable(viewer.stats, before.spans + sent);
  const udpSeconds = (performance.now() - started) / 1000;
  socket.close();
  const udpSpans = after.spans - before.spans;
  rows.push(['UDP compact Thrift (65 KB datagrams)', udpSpans, `${((1 - udpSpans / sent) * 100).toFixed(1)}%`, Math.round(udpSpans / ((after.cpuMicros - before.cpuMicros) / 1e6)), Math.round(udpSpans / udpSeconds)]);

  // OTLP protobuf: 1000-span requests, one at a time, keep-alive.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  before = await viewer.stats();
  const otlpStart = performance.now();
  let otlpSent = 0;
  for (let round = 0; round < 4; round++) {
    for (const body of otlpBodies) {
      await new Promise<void>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: viewer.ports.otlpPort, path: '/v1/traces', method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end(body);
      });
      otlpSent += 1000;
    }
  }
  after = await viewer.stats();
  const otlpSeconds = (performance.now() - otlpStart) / 1000;
  agent.destroy();
  const otlpSpans = after.spans - before.spans;
  rows.push(['OTLP/HTTP protobuf (1000 spans per request)', otlpSpans, `${((1 - otlpSpans / otlpSent) * 100).toFixed(1)}%`, Math.round(otlpSpans / ((after.cpuMicros - before.cpuMicros) / 1e6)), Math.round(otlpSpans / otlpSeconds)]);
  viewer.child.send('exit');
  return rows;
}

/** A 5 000-span trace: a root, 50 calls, each with 99 children of varying length and a few errors. */
function bigTrace(): ViewerSpan[] {
  const traceID = 'b'.repeat(32);
  const t0 = Date.now() * 1000;
  const out: ViewerSpan[] = [];
  const process = { serviceName: 'api', tags: [{ key: 'hostname', type: 'string' as const, value: 'bench' }] };
  const services = ['orders', 'inventory', 'billing', 'search', 'users'].map((serviceName) => ({ serviceName, tags: [] }));
  let id = 1;
  const hex = (): string => (id++).toString(16).padStart(16, '0');
  const root: ViewerSpan = { traceID, spanID: hex(), parentSpanID: '', operationName: 'GET /dashboard', flags: 1, startTime: t0, duration: 5_000_000, tags: [{ key: 'span.kind', type: 'string', value: 'server' }], logs: [], references: [], process };
  out.push(root);
  for (let c = 0; c < 50; c++) {
    const call: ViewerSpan = { ...root, spanID: hex(), parentSpanID: root.spanID, operationName: `call ${c}`, startTime: t0 + c * 90_000, duration: 120_000, references: [{ refType: 'CHILD_OF', traceID, spanID: root.spanID }], process: services[c % 5]!, tags: [{ key: 'http.status_code', type: 'int64', value: 200 }] };
    out.push(call);
    for (let g = 0; g < 99; g++) {
      const error = g % 37 === 0;
      out.push({ ...call, spanID: hex(), parentSpanID: call.spanID, operationName: `SELECT ${g}`, startTime: call.startTime + g * 1000, duration: 500 + (g % 7) * 300, references: [{ refType: 'CHILD_OF', traceID, spanID: call.spanID }], tags: error ? [{ key: 'error', type: 'bool', value: true }, { key: 'db.statement', type: 'string', value: 'SELECT * FROM t WHERE id = ?' }] : [{ key: 'db.statement', type: 'string', value: 'SELECT * FROM t WHERE id = ?' }], logs: error ? [{ timestamp: call.startTime + g * 1000 + 100, fields: [{ key: 'event', type: 'string', value: 'error' }] }] : [] });
    }
  }
  return out;
}

async function renderRows(): Promise<(string | number)[][]> {
  const viewer = await startViewer({ udpPort: 0, udpBinaryPort: 0, collectorPort: 0, otlpPort: 0, uiPort: 0, samplingPort: 0 });
  const trace = bigTrace();
  viewer.ingest(trace);
  const url = viewer.uiUrl(`/trace/${trace[0]!.traceID}`);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 12; i++) {
    const start = performance.now();
    const html = await (await fetch(url)).text();
    times.push(performance.now() - start);
    bytes = html.length;
  }
  const cpu: number[] = [];
  const stored = viewer.store.get(trace[0]!.traceID)!;
  for (let i = 0; i < 15; i++) {
    const start = process.cpuUsage();
    traceBody(stored);
    const used = process.cpuUsage(start);
    if (i >= 5) cpu.push((used.user + used.system) / 1000);
  }
  const rows: (string | number)[][] = [
    [`server: the page's HTML built, CPU time in process (${trace.length} spans, warm)`, median(cpu).toFixed(0)],
    [`server: GET /trace/{id} over loopback, wall time (HTML ${(bytes / 1e6).toFixed(1)} MB)`, median(times.slice(4)).toFixed(0)],
  ];
  if (existsSync('/usr/bin/chromium')) {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const loads: { ttfb: number; fcp: number; dcl: number }[] = [];
    const collapses: number[] = [];
    for (let i = 0; i < 7; i++) {
      await page.goto(url, { waitUntil: 'load' });
      loads.push(await page.evaluate<{ ttfb: number; fcp: number; dcl: number }>(`(() => {
        const n = performance.getEntriesByType('navigation')[0];
        const p = performance.getEntriesByName('first-contentful-paint')[0];
        return { ttfb: n.responseStart, fcp: p ? p.startTime : NaN, dcl: n.domContentLoadedEventEnd };
      })()`));
      // in the page: a string, as this project compiles without the DOM's types
      collapses.push(await page.evaluate<number>(`(() => {
        const t = performance.now();
        document.getElementById('collapse-all').click();
        void document.body.offsetHeight;
        document.getElementById('expand-all').click();
        void document.body.offsetHeight;
        return performance.now() - t;
      })()`));
    }
    await browser.close();
    const warm = loads.slice(2);
    rows.push(['chromium: first byte of the page (server render, warm)', median(warm.map((l) => l.ttfb)).toFixed(0)]);
    rows.push(['chromium: first contentful paint', median(warm.map((l) => l.fcp)).toFixed(0)]);
    rows.push(['chromium: every row parsed, script ready (DOMContentLoaded)', median(warm.map((l) => l.dcl)).toFixed(0)]);
    rows.push(['chromium: collapse all + expand all (script + layout)', median(collapses.slice(2)).toFixed(0)]);
  } else rows.push(['chromium: not installed, browser timing skipped', '-']);
  await viewer.close();
  return rows;
}

console.log(`# viewer (${env()})\n`);
console.log(table(`Decode + store in one process (CPU time, one core; ${spans.length} spans, 1 server span with 7 tags per 3 children with 2)`, ['format', 'bodies', 'spans per body', 'spans/s', 'µs per span'], [
  inProcess('Jaeger compact Thrift (UDP 6831)', datagrams, decodeAgentDatagram),
  inProcess('OTLP protobuf (4318)', otlpBodies, decodeOtlpProto),
]));
console.log(table('End to end over loopback (viewer in its own process; spans per CPU-second of that process)', ['receiver', 'spans stored', 'lost', 'spans per viewer CPU-second', 'spans/s wall'], await endToEnd()));
console.log(table('A 5 000-span trace page (median)', ['what', 'ms'], await renderRows()));
