// MySQL client overhead: `--queries` (10 000) `SELECT ?` round trips through mysql2/promise against
// a throwaway MariaDB (test/support/mariadb.ts), over one connection (one at a time) and over a
// pool of 10 with 50 in flight; uninstrumented, traced by us (100% sampled, Jaeger UDP export to a
// local sink), and traced by OpenTelemetry's @opentelemetry/instrumentation-mysql2 with its SDK
// (NodeTracerProvider, BatchSpanProcessor, OTLP/HTTP protobuf export to a local sink). Each
// measurement is a fresh client process (the modes patch or subscribe process-wide); rounds
// alternate the order of the modes; the table shows medians of wall time and of the client
// process's CPU time per query (CPU is what a shared machine disturbs least), and their ratios to
// the uninstrumented run of the same rounds.
//
//   node --import tsx bench/mysql.ts [--rounds 3] [--queries 10000]
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { env, median, numberFlag, table, textFlag } from './harness.js';

const self = fileURLToPath(import.meta.url);
type Mode = 'off' | 'ours' | 'otel';
const MODES: Mode[] = ['off', 'ours', 'otel'];

interface Result {
  singleWallNs: number;
  singleCpuNs: number;
  poolWallNs: number;
  poolCpuNs: number;
  spans?: number;
}

interface Target {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  udpPort: number;
  otlpPort: number;
}

// ---------------------------------------------------------------- client child

interface PromiseConnection {
  query(sql: string, values: unknown[]): Promise<unknown>;
  end(): Promise<void>;
}

async function client(mode: Mode, target: Target, queries: number): Promise<void> {
  let flush: () => Promise<unknown> = async () => {};
  if (mode === 'ours') {
    const { initTracer, installAllPatches } = await import('../src/index.js');
    const tracer = initTracer({ serviceName: 'bench', sampler: { type: 'const', param: 1 }, reporter: { agentHost: '127.0.0.1', agentPort: target.udpPort } });
    installAllPatches({ include: ['mysql2'] });
    flush = () => tracer.close();
  } else if (mode === 'otel') {
    const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
    const { BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    const { MySQL2Instrumentation } = await import('@opentelemetry/instrumentation-mysql2');
    const provider = new NodeTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${target.otlpPort}/v1/traces` }))],
    });
    provider.register();
    const instrumentation = new MySQL2Instrumentation();
    instrumentation.setTracerProvider(provider);
    instrumentation.enable();
    flush = () => provider.shutdown();
  }
  // required after the instrumentation, as an app with a preload would
  const mysql = (await import('mysql2/promise')).default as unknown as {
    createConnection(config: object): Promise<PromiseConnection>;
    createPool(config: object): PromiseConnection;
  };
  const config = { host: target.host, port: target.port, user: target.user, password: target.password, database: target.database };
  const connection = await mysql.createConnection(config);
  const pool = mysql.createPool({ ...config, connectionLimit: 10 });
  const single = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) await connection.query('SELECT ?', [i]);
  };
  const pooled = async (count: number): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) await pool.query('SELECT ?', [next++]);
    };
    await Promise.all(Array.from({ length: 50 }, worker));
  };
  const time = async (run: () => Promise<void>): Promise<[number, number]> => {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await run();
    const wall = Number(process.hrtime.bigint() - start);
    const used = process.cpuUsage(cpu);
    return [wall / queries, ((used.user + used.system) * 1000) / queries];
  };
  await single(1000);
  await pooled(1000);
  const [singleWallNs, singleCpuNs] = await time(() => single(queries));
  const [poolWallNs, poolCpuNs] = await time(() => pooled(queries));
  await connection.end();
  await pool.end();
  await flush();
  process.stdout.write(`${JSON.stringify({ singleWallNs, singleCpuNs, poolWallNs, poolCpuNs } satisfies Result)}\n`);
}

// ---------------------------------------------------------------- parent

function runClient(mode: Mode, target: Target, queries: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self, '--child', mode, '--target', JSON.stringify(target), '--queries', String(queries)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${mode} client exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as Result);
    });
  });
}

async function main(): Promise<void> {
  const rounds = numberFlag('rounds', 3);
  const queries = numberFlag('queries', 10_000);
  const { startMariaDb } = await import('../test/support/mariadb.js');
  const db = await startMariaDb();
  const udp = dgram.createSocket('udp4');
  let datagrams = 0;
  udp.on('message', () => datagrams++);
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  let otlpRequests = 0;
  const otlp = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      otlpRequests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => otlp.listen(0, '127.0.0.1', resolve));
  const target: Target = {
    host: db.host, port: db.port, user: db.user, password: db.password, database: db.database,
    udpPort: (udp.address() as AddressInfo).port, otlpPort: (otlp.address() as AddressInfo).port,
  };
  const results = new Map<Mode, Result[]>(MODES.map((mode) => [mode, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? MODES : [...MODES].reverse();
      for (const mode of order) {
        process.stderr.write(`round ${round + 1}/${rounds}: ${mode}\n`);
        results.get(mode)!.push(await runClient(mode, target, queries));
      }
    }
  } finally {
    udp.close();
    otlp.close();
    await db.stop();
  }
  const med = (mode: Mode, key: keyof Result): number => median(results.get(mode)!.map((r) => r[key] as number));
  const label: Record<Mode, string> = { off: 'uninstrumented', ours: 'traced by us (UDP export)', otel: 'OpenTelemetry instrumentation-mysql2 + SDK (OTLP export)' };
  const rows = MODES.map((mode) => [
    label[mode],
    med(mode, 'singleWallNs') / 1000, med(mode, 'singleWallNs') / med('off', 'singleWallNs'),
    med(mode, 'singleCpuNs') / 1000, med(mode, 'singleCpuNs') / med('off', 'singleCpuNs'),
    med(mode, 'poolWallNs') / 1000, med(mode, 'poolWallNs') / med('off', 'poolWallNs'),
    med(mode, 'poolCpuNs') / 1000, med(mode, 'poolCpuNs') / med('off', 'poolCpuNs'),
  ]);
  console.log(table(`MySQL: ${queries} SELECT ? per run, median of ${rounds} rounds (${env()}, MariaDB ${db.port ? 'local' : ''})`, [
    'mode', 'one conn µs/query', '×', 'one conn CPU µs', '×', 'pool µs/query', '×', 'pool CPU µs', '×',
  ], rows));
  console.log(`(sinks received ${datagrams} UDP datagrams and ${otlpRequests} OTLP requests)`);
}

if (process.argv.includes('--child')) {
  await client(textFlag('child', 'off') as Mode, JSON.parse(textFlag('target', '{}')) as Target, numberFlag('queries', 10_000));
} else {
  await main();
}
