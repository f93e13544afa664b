// Server-side overhead, three apps: a hello-world node:http server, a hello-world Express app, and
// an Express route that calls a downstream service (a local hello-world server) over a keep-alive
// agent. Each runs uninstrumented and instrumented (100% sampled, Jaeger UDP exporter to a local
// sink that counts the spans it receives; the downstream app has the HTTP client traced too). The
// node:http app also runs with an AsyncLocalStorage store entered per request and no tracing at
// all: the floor that any context propagation pays (on Node 20 it makes every async resource of the
// request pay the init hooks).
//
// Server processes are pinned to core 0 (`taskset -c 0`); the load generator (`wrk` when installed,
// otherwise a raw-socket Node generator: keep-alive, one request in flight per connection), the
// downstream service and this process (with the span sink) run on core 1. Rounds alternate the
// order of the variants; per round each variant's throughput is divided by the uninstrumented
// one's, and the table shows the median of those ratios with their range, the added µs per request
// from the median throughputs (the server core is saturated, so 1/throughput is its time per
// request), and, as a view that other processes on a shared machine disturb less, the server
// process's own CPU time per request.
//
// A second table loads each variant at the same time as the uninstrumented server (both on core
// 0, half the connections each, for `--pairs` rounds): whatever else slows the machine then slows
// both alike, and the difference of their CPU time per request within a round is the added cost.
//
//   node --import tsx bench/http-server.ts [--rounds 7] [--pairs 5] [--seconds 3] [--connections 64]
//     [--apps node-http,express,express-downstream] [--split] [--variants on,unsampled,...]
// --split adds two node:http variants that show where the cost goes: nothing sampled, and every
// span sampled but dropped at finish (no encoding, no UDP).
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { enterStorePerRequest, env, hasCommand, median, numberFlag, spinner, table, textFlag } from './harness.js';
import type { ExpressApp } from './harness.js';
import { runLoad } from './http-load.js';
import { startSpanSink } from './span-sink.js';

const self = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- server children

type Scenario = 'node-http' | 'express' | 'express-downstream';
type Variant = 'off' | 'als' | 'on' | 'unsampled' | 'no-export' | `spin${number}`;

function downstreamCall(agent: http.Agent, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/inventory', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

async function serve(scenario: Scenario, variant: Variant, sinkPort: number, downstreamPort: number): Promise<void> {
  let served = 0;
  let stats: () => object = () => ({});
  if (variant === 'als') enterStorePerRequest();
  // Uninstrumented plus a known amount of CPU per request: what 1 µs of work costs by this method.
  const spin = variant.startsWith('spin') ? spinner(Number(variant.slice(4))) : undefined;
  if (variant === 'on' || variant === 'unsampled' || variant === 'no-export') {
    const { clientHooks, initTracer, installAllPatches } = await import('../src/index.js');
    const tracer = initTracer({
      serviceName: 'bench-server',
      sampler: { type: 'const', param: variant === 'unsampled' ? 0 : 1 },
      reporter: variant === 'no-export' ? { exporter: 'none' } : { agentHost: '127.0.0.1', agentPort: sinkPort },
    });
    installAllPatches({ include: ['http-server', 'express', 'http-client'].filter((name) => clientHooks.available().includes(name)) });
    stats = () => tracer.stats();
  }
  let server: http.Server;
  if (scenario === 'node-http') {
    server = http.createServer((_req, res) => {
      served++;
      spin?.();
      res.end('hello world');
    });
  } else {
    const app = (require('express') as () => ExpressApp)();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    app.get('/', (_req, res, next) => {
      if (scenario === 'express') {
        served++;
        spin?.();
        res.send('hello world');
        return;
      }
      spin?.();
      downstreamCall(agent, downstreamPort).then((body) => {
        served++;
        res.send(`hello ${body}`);
      }, next);
    });
    server = http.createServer(app);
  }
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
  });
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (line: string) => {
    if (!line.startsWith('stats')) return;
    const cpu = process.cpuUsage();
    process.stdout.write(`STATS ${JSON.stringify({ served, cpuMicros: cpu.user + cpu.system, ...stats() })}\n`);
  });
  process.stdin.on('end', () => process.exit(0));
}

/** The downstream service of `express-downstream`: uninstrumented, on the load generator's core. */
function serveDownstream(): void {
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (_req, res) => res.end('inventory'));
  server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`));
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

// ---------------------------------------------------------------- orchestrator

interface Child {
  child: ChildProcess;
  port: number;
  lines: string[];
}

async function startChild(core: number, args: string[]): Promise<Child> {
  const child = spawn('taskset', ['-c', String(core), process.execPath, '--import', 'tsx', self, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let pending = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    lines.push(...parts);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const ready = lines.find((l) => l.startsWith('READY '));
      if (ready !== undefined) {
        clearInterval(timer);
        resolve(Number(ready.slice(6)));
      }
    }, 20);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return { child, port, lines };
}

async function serverStats(server: Child): Promise<Record<string, number>> {
  const before = server.lines.length;
  server.child.stdin!.write('stats\n');
  for (;;) {
    const line = server.lines.slice(before).find((l) => l.startsWith('STATS '));
    if (line !== undefined) return JSON.parse(line.slice(6)) as Record<string, number>;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Round {
  requestsPerSecond: number;
  /** CPU time of the server process per request: robust when other processes share the machine. */
  cpuMicrosPerRequest: number;
}

async function round(server: Child, seconds: number, connections: number, useWrk: boolean): Promise<Round> {
  const before = await serverStats(server);
  const requestsPerSecond = await runLoad(server.port, seconds, connections, useWrk);
  const after = await serverStats(server);
  return { requestsPerSecond, cpuMicrosPerRequest: (after.cpuMicros! - before.cpuMicros!) / (after.served! - before.served!) };
}

const VARIANTS: Record<Scenario, Variant[]> = { 'node-http': process.argv.includes('--split') ? ['off', 'als', 'unsampled', 'no-export', 'on'] : ['off', 'als', 'on'], express: ['off', 'on'], 'express-downstream': ['off', 'on'] };
const LABELS: Record<Exclude<Variant, `spin${number}`>, string> = {
  off: 'uninstrumented', als: 'AsyncLocalStorage store only (floor)', unsampled: 'instrumented, sampler const 0',
  'no-export': 'instrumented, spans dropped at finish (exporter none)', on: 'instrumented',
};
const label = (variant: Variant): string => LABELS[variant as keyof typeof LABELS] ?? `uninstrumented + ${variant.slice(4)} µs busy loop per request`;
/** Spans each traced request makes: the server span, and the client span of the downstream call. */
const SPANS_PER_REQUEST: Record<Scenario, number> = { 'node-http': 1, express: 1, 'express-downstream': 2 };

/** Loads `base` and `other` at the same time; the CPU µs per request of each in that interval. */
async function pairedRound(base: Child, other: Child, seconds: number, connections: number, useWrk: boolean): Promise<[number, number]> {
  const before = await Promise.all([serverStats(base), serverStats(other)]);
  await Promise.all([runLoad(base.port, seconds, connections / 2, useWrk), runLoad(other.port, seconds, connections / 2, useWrk)]);
  const after = await Promise.all([serverStats(base), serverStats(other)]);
  const cpu = (k: number): number => (after[k]!.cpuMicros! - before[k]!.cpuMicros!) / (after[k]!.served! - before[k]!.served!);
  return [cpu(0), cpu(1)];
}

const range = (values: number[]): string => `${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}`;

async function orchestrate(): Promise<void> {
  const rounds = numberFlag('rounds', 7);
  const seconds = numberFlag('seconds', 3);
  const connections = numberFlag('connections', 64);
  const pairs = numberFlag('pairs', 5);
  if (!hasCommand('taskset')) throw new Error('taskset (util-linux) is required to pin the server and the load generator');
  const useWrk = hasCommand('wrk');
  // This process receives the spans (the sink): on core 1 with the load generator, never on the server's core.
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const sink = await startSpanSink();
  const downstream = await startChild(1, ['--downstream']);

  const rows: (string | number)[][] = [];
  const pairedRows: (string | number)[][] = [];
  const checks: string[] = [];
  const apps = textFlag('apps', 'node-http,express,express-downstream').split(',') as Scenario[];
  for (const scenario of apps) {
    if (VARIANTS[scenario] === undefined) throw new Error(`--apps: unknown app ${scenario}`);
    const only = textFlag('variants', '');
    const variants = only === '' ? VARIANTS[scenario] : ['off', ...only.split(',')] as Variant[];
    const unknown = variants.find((v) => !(v in LABELS) && !/^spin\d+(\.\d+)?$/.test(v));
    if (unknown !== undefined) throw new Error(`--variants: unknown variant ${unknown}`); // it would run uninstrumented
    const servers = new Map<Variant, Child>();
    for (const variant of variants) servers.set(variant, await startChild(0, ['--serve', scenario, variant, String(sink.port), String(downstream.port)]));
    for (const variant of variants) await runLoad(servers.get(variant)!.port, 1, connections, useWrk); // warm-up
    await new Promise((resolve) => setTimeout(resolve, 1200)); // warm-up spans flushed
    const traced = servers.get('on') ?? servers.get(variants.at(-1)!)!;
    const spansBefore = sink.spans;
    const servedBefore = (await serverStats(traced)).served!;
    const results = new Map<Variant, Round[]>(variants.map((v) => [v, []]));
    for (let r = 0; r < rounds; r++) {
      // alternate the order, so drift on the machine hits every variant alike
      for (const variant of r % 2 === 0 ? variants : [...variants].reverse()) {
        results.get(variant)!.push(await round(servers.get(variant)!, seconds, connections, useWrk));
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the last flush
    const stats = await serverStats(traced);
    const served = stats.served! - servedBefore;
    checks.push(`${scenario}: ${served} traced requests served, ${sink.spans - spansBefore} spans received by the sink` +
      ` (expected ${served * SPANS_PER_REQUEST[scenario]}; reporter dropped ${(stats.droppedQueueFull ?? 0) + (stats.sendFailures ?? 0)})`);
    const base = results.get('off')!;
    const b = median(base.map((x) => x.requestsPerSecond));
    const bCpu = median(base.map((x) => x.cpuMicrosPerRequest));
    for (const variant of variants) {
      const measured = results.get(variant)!;
      const i = median(measured.map((x) => x.requestsPerSecond));
      const iCpu = median(measured.map((x) => x.cpuMicrosPerRequest));
      if (variant === 'off') {
        rows.push([scenario, label(variant), Math.round(i), '1', '', '', iCpu.toFixed(2), '', '']);
        continue;
      }
      const ratios = measured.map((x, k) => x.requestsPerSecond / base[k]!.requestsPerSecond);
      const cpuAdded = measured.map((x, k) => x.cpuMicrosPerRequest - base[k]!.cpuMicrosPerRequest);
      rows.push([scenario, label(variant), Math.round(i), median(ratios).toFixed(3), range(ratios), (1e6 / i - 1e6 / b).toFixed(2),
        iCpu.toFixed(2), median(cpuAdded).toFixed(2), `${Math.min(...cpuAdded).toFixed(2)}–${Math.max(...cpuAdded).toFixed(2)}`]);
    }
    for (const variant of variants.filter((v) => v !== 'off')) {
      const added: number[] = [];
      const baseCpu: number[] = [];
      for (let r = 0; r < pairs; r++) {
        const [offCpu, variantCpu] = await pairedRound(servers.get('off')!, servers.get(variant)!, seconds, connections, useWrk);
        added.push(variantCpu - offCpu);
        baseCpu.push(offCpu);
      }
      const addedMedian = median(added);
      pairedRows.push([scenario, label(variant), median(baseCpu).toFixed(2), addedMedian.toFixed(2), `${Math.min(...added).toFixed(2)}–${Math.max(...added).toFixed(2)}`,
        (median(baseCpu) / (median(baseCpu) + addedMedian)).toFixed(3)]);
    }
    for (const server of servers.values()) server.child.stdin!.end();
  }
  downstream.child.stdin!.end();
  sink.close();
  process.stdout.write(table(`HTTP server overhead (${env()}; load: ${useWrk ? 'wrk' : 'Node raw-socket generator, wrk not installed'}; ` +
    `${connections} connections, ${rounds}×${seconds}s alternating rounds; server on core 0, load and downstream on core 1)`,
  ['app', 'variant', 'req/s (median)', 'ratio (median of rounds)', 'ratio range', 'added µs/request', 'server CPU µs/request',
    'added CPU µs/request (median of rounds)', 'added CPU range'], rows));
  process.stdout.write(`\n${table(`Same-time pairs: each variant loaded together with the uninstrumented server on core 0 (${pairs}×${seconds}s, ${connections / 2} connections each)`,
    ['app', 'variant', 'uninstrumented CPU µs/request (median)', 'added CPU µs/request (median of pairs)', 'range', 'CPU ratio'], pairedRows)}`);
  process.stdout.write(`\n${checks.join('\n')}\n`);
}

const mode = process.argv[2];
if (mode === '--serve') {
  void serve(process.argv[3] as Scenario, process.argv[4] as Variant, Number(process.argv[5]), Number(process.argv[6]));
} else if (mode === '--downstream') {
  serveDownstream();
} else {
  orchestrate().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
