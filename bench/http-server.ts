// Server-side overhead on hello world: a node:http server and an Express app, each run
// uninstrumented and instrumented (100% sampled, Jaeger UDP exporter to a local sink that counts
// the spans it receives). The server process is pinned to core 0 (`taskset -c 0`), the load
// generator to core 1: `wrk` when installed, otherwise a raw-socket generator in a Node child
// process (keep-alive, one request in flight per connection, like wrk). Rounds alternate between
// the two servers; the table shows median throughput, the ratio, and the added µs per request
// (the server core is saturated, so 1/throughput is its time per request), and, as a second view
// that other processes on a shared machine disturb less, the server process's CPU time per request.
//
//   node --import tsx bench/http-server.ts [--rounds 7] [--seconds 3] [--connections 64]
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { env, median, table } from './harness.js';
import { runLoad } from './http-load.js';
import { startSpanSink } from './span-sink.js';

const self = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

function which(command: string): boolean {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- server child

type Scenario = 'node-http' | 'express';

async function serve(scenario: Scenario, instrumented: boolean, sinkPort: number): Promise<void> {
  let served = 0;
  let stats: () => object = () => ({});
  if (instrumented) {
    const { clientHooks, initTracer, installAllPatches } = await import('../src/index.js');
    const tracer = initTracer({
      serviceName: 'bench-server',
      sampler: { type: 'const', param: 1 },
      reporter: { agentHost: '127.0.0.1', agentPort: sinkPort },
    });
    installAllPatches({ include: ['http-server', 'express'].filter((name) => clientHooks.available().includes(name)) });
    stats = () => tracer.stats();
  }
  let server: http.Server;
  if (scenario === 'node-http') {
    server = http.createServer((req, res) => {
      served++;
      res.end('hello world');
    });
  } else {
    const express = require('express') as () => http.RequestListener & { get(path: string, fn: (req: unknown, res: { send(body: string): void }) => void): void };
    const app = express();
    app.get('/', (_req, res) => {
      served++;
      res.send('hello world');
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

// ---------------------------------------------------------------- orchestrator

interface ServerChild {
  child: ChildProcess;
  port: number;
  lines: string[];
}

async function startServer(scenario: Scenario, instrumented: boolean, sinkPort: number): Promise<ServerChild> {
  const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', self, '--serve', scenario,
    instrumented ? 'on' : 'off', String(sinkPort)], { stdio: ['pipe', 'pipe', 'inherit'] });
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
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, port, lines };
}

async function serverStats(server: ServerChild): Promise<Record<string, number>> {
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

async function round(server: ServerChild, seconds: number, connections: number, useWrk: boolean): Promise<Round> {
  const before = await serverStats(server);
  const requestsPerSecond = await runLoad(server.port, seconds, connections, useWrk);
  const after = await serverStats(server);
  return { requestsPerSecond, cpuMicrosPerRequest: (after.cpuMicros! - before.cpuMicros!) / (after.served! - before.served!) };
}

async function orchestrate(): Promise<void> {
  const rounds = flag('rounds', 7);
  const seconds = flag('seconds', 3);
  const connections = flag('connections', 64);
  if (!which('taskset')) throw new Error('taskset (util-linux) is required to pin the server and the load generator');
  const useWrk = which('wrk');
  const sink = await startSpanSink();
  const sinkPort = sink.port;

  const rows: (string | number)[][] = [];
  const checks: string[] = [];
  for (const scenario of ['node-http', 'express'] as const) {
    const baseline = await startServer(scenario, false, sinkPort);
    const traced = await startServer(scenario, true, sinkPort);
    await runLoad(baseline.port, 1, connections, useWrk); // warm-up
    await runLoad(traced.port, 1, connections, useWrk);
    await new Promise((resolve) => setTimeout(resolve, 300)); // warm-up spans flushed
    const spansBefore = sink.spans;
    const servedBefore = (await serverStats(traced)).served!;
    const base: Round[] = [];
    const inst: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      // alternate which goes first, so drift on the machine hits both alike
      if (r % 2 === 0) {
        base.push(await round(baseline, seconds, connections, useWrk));
        inst.push(await round(traced, seconds, connections, useWrk));
      } else {
        inst.push(await round(traced, seconds, connections, useWrk));
        base.push(await round(baseline, seconds, connections, useWrk));
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the last flush
    const stats = await serverStats(traced);
    const served = stats.served! - servedBefore;
    const received = sink.spans - spansBefore;
    checks.push(`${scenario}: ${served} traced requests served, ${received} spans received by the sink` +
      ` (reporter dropped ${stats.droppedSpans ?? stats.spansDropped ?? 0})`);
    const b = median(base.map((x) => x.requestsPerSecond));
    const i = median(inst.map((x) => x.requestsPerSecond));
    const bCpu = median(base.map((x) => x.cpuMicrosPerRequest));
    const iCpu = median(inst.map((x) => x.cpuMicrosPerRequest));
    rows.push([scenario, Math.round(b), Math.round(i), (i / b).toFixed(3), (1e6 / i - 1e6 / b).toFixed(2),
      bCpu.toFixed(2), iCpu.toFixed(2), (iCpu - bCpu).toFixed(2), (bCpu / iCpu).toFixed(3)]);
    baseline.child.stdin!.end();
    traced.child.stdin!.end();
  }
  sink.close();
  process.stdout.write(table(`HTTP server overhead, hello world (${env()}; load: ${useWrk ? 'wrk' : 'Node raw-socket generator, wrk not installed'}; ${connections} connections, ${rounds}×${seconds}s alternating rounds)`,
    ['server', 'uninstrumented req/s', 'instrumented req/s', 'ratio', 'added µs/request', 'CPU µs/request uninstrumented', 'CPU µs/request instrumented', 'added CPU µs/request', 'CPU ratio'], rows));
  process.stdout.write(`\n${checks.join('\n')}\n`);
}

const mode = process.argv[2];
if (mode === '--serve') {
  void serve(process.argv[3] as Scenario, process.argv[4] === 'on', Number(process.argv[5]));
} else {
  orchestrate().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
