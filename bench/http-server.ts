// Server-side overhead on hello world: a node:http server and an Express app, each run
// uninstrumented and instrumented (100% sampled, Jaeger UDP exporter to a local sink that counts
// the spans it receives). The server process is pinned to core 0 (`taskset -c 0`), the load
// generator to core 1: `wrk` when installed, otherwise a raw-socket generator in a Node child
// process (keep-alive, one request in flight per connection, like wrk). Rounds alternate between
// the two servers; the table shows median throughput, the ratio, and the added µs per request
// (the server core is saturated, so 1/throughput is its time per request), and, as a second view
// that other processes on a shared machine disturb less, the server process's CPU time per request.
//
//   node --import tsx bench/http-server.ts [--rounds 5] [--seconds 3] [--connections 32]
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import * as http from 'node:http';
import * as net from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { env, median, table } from './harness.js';

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

// ---------------------------------------------------------------- load generator child

/** Bytes of the first complete response on a socket (header, blank line, Content-Length body). */
function responseLength(buffered: Buffer): number {
  const end = buffered.indexOf('\r\n\r\n');
  if (end === -1) return -1;
  const match = /content-length:\s*(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'));
  if (match === null) throw new Error('the benchmark servers must send Content-Length');
  return end + 4 + Number(match[1]);
}

/**
 * Keep-alive connections, one request in flight on each; prints how many responses completed.
 * Hello-world responses all have the same length (the Date header has a fixed width), so after
 * the first one a connection only counts bytes: the generator stays far cheaper than the server.
 */
async function load(port: number, seconds: number, connections: number): Promise<void> {
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  let completed = 0;
  let running = true;
  const sockets: net.Socket[] = [];
  for (let c = 0; c < connections; c++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let size = -1;
    let first: Buffer | null = Buffer.alloc(0);
    let pending = 0;
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      if (first !== null) {
        first = Buffer.concat([first, chunk]);
        size = responseLength(first);
        if (size === -1 || first.length < size) return;
        pending = first.length;
        first = null;
      } else {
        pending += chunk.length;
      }
      while (pending >= size) {
        pending -= size;
        completed++;
        if (running) socket.write(request);
      }
    });
    socket.on('error', () => {});
    sockets.push(socket);
  }
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  const result = completed;
  for (const socket of sockets) socket.destroy();
  process.stdout.write(`${JSON.stringify({ requests: result, seconds })}\n`);
}

// ---------------------------------------------------------------- orchestrator

/** Counts spans in compact-Thrift emitBatch datagrams by walking just far enough to read the list size. */
function countSpans(datagram: Buffer): number {
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = datagram[offset++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const skip = (type: number): void => {
    switch (type) {
      case 1: case 2: return;
      case 3: offset++; return;
      case 4: case 5: case 6: varint(); return;
      case 7: offset += 8; return;
      case 8: {
        const length = varint(); // read before `offset +=` takes offset's old value
        offset += length;
        return;
      }
      case 9: case 10: {
        const header = datagram[offset++]!;
        const size = (header >> 4) === 15 ? varint() : header >> 4;
        for (let i = 0; i < size; i++) skip(header & 0x0f);
        return;
      }
      case 12: skipStruct(); return;
      default: throw new Error(`compact type ${type}`);
    }
  };
  const skipStruct = (): void => {
    for (;;) {
      const header = datagram[offset++]!;
      if (header === 0) return;
      if ((header >> 4) === 0) varint(); // long-form field id
      skip(header & 0x0f);
    }
  };
  offset = 2; // protocol id, version/type
  varint(); // seqid
  const nameLength = varint();
  offset += nameLength; // method name
  // emitBatch args: field 1 = Batch struct; Batch: field 1 Process (skipped), field 2 list<Span>
  offset++; // field header of Batch
  for (;;) {
    const header = datagram[offset++]!;
    if (header === 0) return 0;
    if ((header & 0x0f) === 9 && (header >> 4) === 1) {
      const list = datagram[offset++]!;
      return (list >> 4) === 15 ? varint() : list >> 4;
    }
    skip(header & 0x0f);
  }
}

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

function runLoad(port: number, seconds: number, connections: number, useWrk: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = useWrk
      ? ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, `http://127.0.0.1:${port}/`]
      : ['-c', '1', process.execPath, '--import', 'tsx', self, '--load', String(port), String(seconds), String(connections)];
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      if (useWrk) {
        const match = /Requests\/sec:\s*([\d.]+)/.exec(out);
        return match === null ? reject(new Error(`unexpected wrk output: ${out}`)) : resolve(Number(match[1]));
      }
      const { requests } = JSON.parse(out) as { requests: number };
      resolve(requests / seconds);
    });
  });
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
  const rounds = flag('rounds', 5);
  const seconds = flag('seconds', 3);
  const connections = flag('connections', 32);
  if (!which('taskset')) throw new Error('taskset (util-linux) is required to pin the server and the load generator');
  const useWrk = which('wrk');
  let spansReceived = 0;
  const sink = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  sink.on('message', (datagram) => {
    spansReceived += countSpans(datagram);
  });
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  const sinkPort = sink.address().port;

  const rows: (string | number)[][] = [];
  const checks: string[] = [];
  for (const scenario of ['node-http', 'express'] as const) {
    const baseline = await startServer(scenario, false, sinkPort);
    const traced = await startServer(scenario, true, sinkPort);
    await runLoad(baseline.port, 1, connections, useWrk); // warm-up
    await runLoad(traced.port, 1, connections, useWrk);
    await new Promise((resolve) => setTimeout(resolve, 300)); // warm-up spans flushed
    const spansBefore = spansReceived;
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
    await new Promise((resolve) => setTimeout(resolve, 500)); // last flush
    const stats = await serverStats(traced);
    const served = stats.served! - servedBefore;
    const received = spansReceived - spansBefore;
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
} else if (mode === '--load') {
  void load(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
} else {
  orchestrate().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
