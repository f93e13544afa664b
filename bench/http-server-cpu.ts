// The instrumentation's own CPU cost per request of a hello-world node:http server, without the
// kernel: the server is driven over in-memory duplex pairs (`stream.duplexPair`) by a client in the
// same process, so no socket system call, loopback wake-up or load generator blurs the figure.
// Each variant runs in a fresh process pinned to one core (`taskset -c 0` when available); rounds
// alternate the order of the variants; the table shows the median CPU µs per request and what each
// variant adds to the uninstrumented server. On a shared machine its spread is a few percent, where
// bench/http-server.ts (real TCP, wrk) spreads by tens of percent: this is the one to compare two
// versions of the code with. It is not the end-to-end figure; bench/http-server.ts is.
//
// Variants: uninstrumented; an AsyncLocalStorage store entered per request (the floor any
// context propagation pays); traced with nothing sampled; traced, 100% sampled, spans dropped at
// finish (the span work without export); traced with the Jaeger UDP exporter to a sink in this
// process (the full cost, the sink's receiving included).
//
// Apps (`--apps`, default both): the node:http hello world, and a hello-world Express route
// (`GET /hello`) whose server span also carries the route.
//
//   node --import tsx bench/http-server-cpu.ts [--rounds 5] [--seconds 2] [--connections 32] [--apps node-http,express]
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { duplexPair } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { enterStorePerRequest, env, hasCommand, median, numberFlag, table, textFlag } from './harness.js';
import type { ExpressApp } from './harness.js';

const self = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
type App = 'node-http' | 'express';
type Variant = 'off' | 'als' | 'unsampled' | 'no-export' | 'on';
const VARIANTS: Variant[] = ['off', 'als', 'unsampled', 'no-export', 'on'];
const LABELS: Record<Variant, string> = {
  off: 'uninstrumented',
  als: 'AsyncLocalStorage store only (floor)',
  unsampled: 'traced, sampler const 0',
  'no-export': 'traced, 100% sampled, spans dropped at finish',
  on: 'traced, 100% sampled, Jaeger UDP export',
};

/** One variant in this process: CPU µs per request over `seconds` after a second of warm-up. */
async function measureVariant(app: App, variant: Variant, seconds: number, connections: number): Promise<void> {
  const sink = dgram.createSocket('udp4');
  let datagrams = 0;
  sink.on('message', () => datagrams++);
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  let spansStarted = (): number => 0;
  if (variant === 'als') enterStorePerRequest();
  if (variant === 'unsampled' || variant === 'no-export' || variant === 'on') {
    const { initTracer, installAllPatches } = await import('../src/index.js');
    const tracer = initTracer({
      serviceName: 'bench-server',
      sampler: { type: 'const', param: variant === 'unsampled' ? 0 : 1 },
      reporter: variant === 'no-export' ? { exporter: 'none' } : { agentHost: '127.0.0.1', agentPort: sink.address().port },
    });
    installAllPatches({ include: app === 'express' ? ['http-server', 'express'] : ['http-server'] });
    spansStarted = () => tracer.stats().spansStarted;
  }
  let served = 0;
  let server: http.Server;
  if (app === 'express') {
    const express = (require('express') as () => ExpressApp)();
    express.get('/hello', (_req, res) => {
      served++;
      res.send('hello world');
    });
    server = http.createServer(express);
  } else {
    server = http.createServer((_req, res) => {
      served++;
      res.end('hello world');
    });
  }
  const request = Buffer.from('GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  for (let c = 0; c < connections; c++) {
    const [client, serverSide] = duplexPair();
    Object.assign(serverSide, { remoteAddress: '127.0.0.1', remotePort: 40_000 + c });
    server.emit('connection', serverSide);
    let tail = '';
    client.on('data', (chunk: Buffer) => {
      // One request in flight per connection: the next goes out once the response is complete.
      // From an immediate: in-memory streams would otherwise never yield to the event loop.
      const text = tail + chunk.toString('latin1');
      let answered = 0;
      for (let i = text.indexOf('hello world'); i !== -1; i = text.indexOf('hello world', i + 1)) answered++;
      tail = text.slice(-10);
      if (answered > 0) setImmediate(() => { for (let k = 0; k < answered; k++) client.write(request); });
    });
    client.write(request);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000)); // warm-up
  const cpu = process.cpuUsage();
  const servedBefore = served;
  const spansBefore = spansStarted();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const used = process.cpuUsage(cpu);
  const requests = served - servedBefore;
  const spans = spansStarted() - spansBefore;
  // Every traced request made its span (a broken hook would look free).
  if (variant !== 'off' && variant !== 'als' && Math.abs(spans - requests) > connections) {
    throw new Error(`${variant}: ${spans} spans for ${requests} requests`);
  }
  if (variant === 'on' && datagrams === 0) throw new Error('on: no datagram reached the sink');
  process.stdout.write(`${JSON.stringify({ cpuMicros: (used.user + used.system) / requests, requests })}\n`);
  process.exit(0);
}

function runChild(app: App, variant: Variant, pinned: boolean, args: string[]): Promise<number> {
  const command = [process.execPath, '--import', 'tsx', self, '--app', app, '--variant', variant, ...args];
  const child = pinned
    ? spawn('taskset', ['-c', '0', ...command], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve((JSON.parse(out) as { cpuMicros: number }).cpuMicros) : reject(new Error(`${variant} exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const rounds = numberFlag('rounds', 5);
  const pinned = hasCommand('taskset');
  const apps = textFlag('apps', 'node-http,express').split(',') as App[];
  const args = process.argv.slice(2).filter((_, k, all) => all[k] !== '--apps' && all[k - 1] !== '--apps');
  const rows: string[][] = [];
  for (const app of apps) {
    if (app !== 'node-http' && app !== 'express') throw new Error(`--apps: unknown app ${app}`);
    const results = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
    for (let r = 0; r < rounds; r++) {
      for (const variant of r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
        results.get(variant)!.push(await runChild(app, variant, pinned, args));
      }
    }
    const base = median(results.get('off')!);
    for (const variant of VARIANTS) {
      const values = results.get(variant)!;
      const m = median(values);
      rows.push([app, LABELS[variant], m.toFixed(2), `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`,
        variant === 'off' ? '' : (m - base).toFixed(2), variant === 'off' ? '1' : (base / m).toFixed(3)]);
    }
  }
  console.log(table(
    `HTTP server instrumentation CPU per request, in-memory connections (hello world; ${env()}; ${rounds} rounds of ${numberFlag('seconds', 2)} s, ${numberFlag('connections', 32)} connections${pinned ? ', core 0' : ''})`,
    ['app', 'variant', 'CPU µs/request (median)', 'range', 'added µs', 'ratio'],
    rows,
  ));
}

const at = process.argv.indexOf('--variant');
if (at !== -1) {
  void measureVariant(textFlag('app', 'node-http') as App, process.argv[at + 1] as Variant, numberFlag('seconds', 2), numberFlag('connections', 32));
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
