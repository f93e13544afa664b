// Client-side overhead: 20 000 keep-alive requests to a local hello-world server, through node:http
// and through global fetch, each uninstrumented, traced without export (100% sampled, spans
// dropped at finish: the instrumentation's own cost), and traced with the Jaeger UDP exporter to a
// local sink (the full cost). The server and the sink run in a child process pinned to core 0
// (`taskset -c 0` when available); each measurement is a fresh client process on core 1 (so JIT
// and heap state never carry over from one mode to another), with 16 requests in flight to keep
// the client core busy: time per request is then the client's. Rounds alternate the order of the
// modes; the table shows medians, the added µs per request and the ratio, in wall time and in the
// client process's CPU time (which other load on a shared machine disturbs less). A ruler row runs
// the uninstrumented client with a calibrated 1 µs busy loop per request: on loopback, CPU added to
// the client shows up larger than it is (the server waits more and is woken more often), and the
// ruler shows by how much. A second table
// isolates the instrumentation's own CPU cost per node:http request without any I/O (requests made
// with an agent that never connects, finished as if answered), which loopback wake-ups and other
// processes cannot blur; its export row adds the CPU time of encoding and sending each 1000 spans,
// and its unsampled row shows what most requests of a service sampling a fraction still pay.
// A third table runs the uninstrumented and the traced (UDP export) client at the same time, both
// on core 1, for `--pairs` rounds: whatever else slows the machine then slows both alike, and the
// difference of their CPU time per request within a pair is the added cost (the same-time method
// of bench/http-server.ts).
//
//   node --import tsx bench/http-client.ts [--rounds 3] [--pairs 5] [--requests 20000] [--concurrency 16]
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { env, hasCommand, measure, median, numberFlag, spinner, table, textFlag } from './harness.js';

const self = fileURLToPath(import.meta.url);
type ClientName = 'node:http' | 'fetch';
// `spin1`: uninstrumented plus a calibrated 1 µs busy loop per request, the ruler: what 1 µs of
// CPU in the client shows up as by this method (loopback wake-ups make it more than 1 µs).
type Mode = 'off' | 'unsampled' | 'no-export' | 'udp' | 'spin1';

function spawnPinned(core: number | null, args: string[]): ReturnType<typeof spawn> {
  const command = [process.execPath, '--import', 'tsx', self, ...args];
  return core === null
    ? spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn('taskset', ['-c', String(core), ...command], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function firstLine(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.once('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end !== -1) resolve(text.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before answering`)));
  });
}

// ---------------------------------------------------------------- server child

async function serve(): Promise<void> {
  const sink = dgram.createSocket('udp4');
  sink.on('message', () => {});
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('hello world');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port, sinkPort: (sink.address() as AddressInfo).port })}\n`);
}

// ---------------------------------------------------------------- client child

async function measureClient(name: ClientName, mode: Mode, port: number, sinkPort: number): Promise<void> {
  const requests = numberFlag('requests', 20000);
  const concurrency = numberFlag('concurrency', 16);
  const url = `http://127.0.0.1:${port}/hello`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const viaHttp = (): Promise<void> => new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      res.on('data', () => {});
      res.on('end', resolve);
    }).on('error', reject);
  });
  const viaFetch = async (): Promise<void> => {
    await (await fetch(url)).text();
  };
  const plain = name === 'fetch' ? viaFetch : viaHttp;
  const spin = mode === 'spin1' ? spinner(1) : null;
  const client = spin === null ? plain : (): Promise<void> => {
    spin();
    return plain();
  };
  let spansFinished = (): number => 0;
  let reported = (): number => 0;
  if (mode === 'no-export' || mode === 'udp') {
    const { initTracer, installAllPatches } = await import('../src/index.js');
    const drop = { report() {}, async flush() {}, async close() {} };
    const tracer = initTracer({
      serviceName: 'bench-client',
      global: false,
      sampler: { type: 'const', param: 1 },
      reporter: { agentHost: '127.0.0.1', agentPort: sinkPort },
    }, mode === 'no-export' ? { reporter: drop } : {});
    installAllPatches({ tracer, include: [name === 'fetch' ? 'fetch' : 'http-client'] });
    spansFinished = () => tracer.stats().spansFinished;
    reported = () => {
      void tracer.flush();
      return tracer.stats().reported ?? 0;
    };
  }
  const load = async (total: number): Promise<{ wall: number; cpu: number }> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        next++;
        await client();
      }
    };
    const cpu = process.cpuUsage();
    const start = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { wall: (wallMs * 1000) / total, cpu: (used.user + used.system) / total };
  };
  await load(Math.min(requests, 5000)); // warm-up
  const before = spansFinished();
  const result = await load(requests);
  const spans = spansFinished() - before;
  if ((mode === 'no-export' || mode === 'udp') && spans !== requests) throw new Error(`${name}/${mode}: ${spans} spans for ${requests} requests`);
  if (mode === 'udp') {
    const deadline = Date.now() + 3000;
    while (reported() < requests && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (reported() < requests) throw new Error(`${name}/udp: only ${reported()} spans reported`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  agent.destroy();
  process.exit(0);
}

// ---------------------------------------------------------------- no-I/O child

type NoIoMode = Exclude<Mode, 'spin1'>;
const NO_IO_LABELS: Record<NoIoMode, string> = {
  off: 'uninstrumented',
  unsampled: 'traced, sampler const 0 (trace headers still written)',
  'no-export': 'traced, no export',
  udp: 'traced, Jaeger UDP export',
};

async function measureWithoutIo(mode: Mode, sinkPort: number): Promise<void> {
  let flush = async (): Promise<void> => {};
  if (mode !== 'off') {
    const { initTracer, installAllPatches } = await import('../src/index.js');
    const drop = { report() {}, async flush() {}, async close() {} };
    const tracer = initTracer({
      serviceName: 'bench-client',
      global: false,
      sampler: { type: 'const', param: mode === 'unsampled' ? 0 : 1 },
      reporter: { agentHost: '127.0.0.1', agentPort: sinkPort },
    }, mode === 'udp' ? {} : { reporter: drop });
    installAllPatches({ tracer, include: ['http-client'] });
    flush = () => tracer.flush();
  }
  const agent = { addRequest() {}, protocol: 'http:', defaultPort: 80, keepAlive: true, maxSockets: 16 } as unknown as http.Agent;
  const answered = { complete: true, statusCode: 200 };
  // The export (encode + send) of each sample's 1000 spans runs between samples: its CPU time is
  // measured there and added per request, so the export row includes it.
  const exportNs: number[] = [];
  const timedFlush = async (): Promise<void> => {
    const cpu = process.cpuUsage();
    await flush();
    const used = process.cpuUsage(cpu);
    exportNs.push(used.user + used.system); // µs per 1000 requests = ns per request
  };
  const ns = await measure(() => {
    const req = http.request({ host: '127.0.0.1', port: 8080, path: '/hello', agent }) as http.ClientRequest & { res: unknown };
    req.res = answered;
    req.emit('close');
  }, { batch: 1000, samples: 41, warmup: 20, between: timedFlush });
  process.stdout.write(`${JSON.stringify({ ns: ns + (mode === 'udp' ? median(exportNs.slice(20)) : 0) })}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------- orchestration

async function main(): Promise<void> {
  const rounds = numberFlag('rounds', 3);
  const pinned = hasCommand('taskset');
  const server = spawnPinned(pinned ? 0 : null, ['--serve']);
  const { port, sinkPort } = JSON.parse(await firstLine(server)) as { port: number; sinkPort: number };
  const modes: Mode[] = ['off', 'no-export', 'udp', 'spin1'];
  const noIoModes: NoIoMode[] = ['off', 'unsampled', 'no-export', 'udp'];
  const results = new Map<string, { wall: number[]; cpu: number[] }>();
  const pairResults = new Map<string, { base: number[]; added: number[] }>();
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? modes : [...modes].reverse();
      for (const name of ['node:http', 'fetch'] as const) {
        for (const mode of order) {
          const child = spawnPinned(pinned ? 1 : null, ['--client', name, '--mode', mode, '--port', String(port), '--sink', String(sinkPort), ...process.argv.slice(2)]);
          const measured = JSON.parse(await firstLine(child)) as { wall: number; cpu: number };
          const key = `${name} ${mode}`;
          const entry = results.get(key) ?? { wall: [], cpu: [] };
          entry.wall.push(measured.wall);
          entry.cpu.push(measured.cpu);
          results.set(key, entry);
        }
      }
    }
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? noIoModes : [...noIoModes].reverse()) {
        const child = spawnPinned(pinned ? 1 : null, ['--no-io', '--mode', mode, '--sink', String(sinkPort)]);
        const { ns } = JSON.parse(await firstLine(child)) as { ns: number };
        const entry = results.get(`no-io ${mode}`) ?? { wall: [], cpu: [] };
        entry.wall.push(ns);
        results.set(`no-io ${mode}`, entry);
      }
    }
    const pairs = numberFlag('pairs', 5);
    for (let pair = 0; pair < pairs; pair++) {
      for (const name of ['node:http', 'fetch'] as const) {
        const spawnClient = (mode: Mode) => spawnPinned(pinned ? 1 : null, ['--client', name, '--mode', mode, '--port', String(port), '--sink', String(sinkPort), ...process.argv.slice(2)]);
        const [off, traced] = await Promise.all([firstLine(spawnClient('off')), firstLine(spawnClient('udp'))]);
        const entry = pairResults.get(name) ?? { base: [], added: [] };
        const offCpu = (JSON.parse(off) as { cpu: number }).cpu;
        entry.base.push(offCpu);
        entry.added.push((JSON.parse(traced) as { cpu: number }).cpu - offCpu);
        pairResults.set(name, entry);
      }
    }
  } finally {
    server.kill();
  }
  const rows: (string | number)[][] = [];
  for (const name of ['node:http', 'fetch']) {
    const base = results.get(`${name} off`)!;
    for (const mode of ['no-export', 'udp', 'spin1'] as const) {
      const traced = results.get(`${name} ${mode}`)!;
      const [bw, tw, bc, tc] = [median(base.wall), median(traced.wall), median(base.cpu), median(traced.cpu)];
      const label = mode === 'udp' ? 'Jaeger UDP export' : mode === 'no-export' ? 'no export' : 'uninstrumented + 1 µs busy loop (ruler)';
      rows.push([`${name}, ${label}`, bw, tw, tw - bw, `${(tw / bw).toFixed(3)}×`, bc, tc, tc - bc, `${(tc / bc).toFixed(3)}×`]);
    }
  }
  const requests = textFlag('requests', '20000');
  console.log(table(
    `HTTP client overhead, 100% sampled (${requests} keep-alive requests per run, ${rounds} rounds, ${textFlag('concurrency', '16')} in flight; ${env()}${pinned ? '; server core 0, client core 1' : '; unpinned'})`,
    ['client', 'baseline µs/req', 'traced µs/req', 'added µs', 'ratio', 'baseline CPU µs/req', 'traced CPU µs/req', 'added CPU µs', 'CPU ratio'],
    rows,
  ));
  console.log(table(
    `Same-time pairs: the uninstrumented and the traced client (Jaeger UDP export) run together on core 1 (${textFlag('pairs', '5')} pairs of ${requests} requests each)`,
    ['client', 'uninstrumented CPU µs/req (median)', 'added CPU µs/req (median of pairs)', 'range', 'added'],
    [...pairResults].map(([name, { base, added }]) => {
      const b = median(base);
      const a = median(added);
      return [name, b.toFixed(1), a.toFixed(2), `${Math.min(...added).toFixed(2)}–${Math.max(...added).toFixed(2)}`, `${((a / b) * 100).toFixed(1)}%`];
    }),
  ));
  const noIo = (mode: Mode): number => median(results.get(`no-io ${mode}`)!.wall);
  console.log(table(
    `node:http instrumentation CPU per request without I/O (median of ${rounds} processes × 41 samples of 1000 requests)`,
    ['mode', 'ns/request', 'added ns'],
    noIoModes.map((mode) => [NO_IO_LABELS[mode], noIo(mode), noIo(mode) - noIo('off')]),
  ));
}

if (process.argv.includes('--serve')) {
  void serve();
} else if (process.argv.includes('--no-io')) {
  void measureWithoutIo(textFlag('mode', 'off') as Mode, numberFlag('sink', 0));
} else if (process.argv.includes('--client')) {
  void measureClient(textFlag('client', 'node:http') as ClientName, textFlag('mode', 'off') as Mode, numberFlag('port', 0), numberFlag('sink', 0));
} else {
  void main();
}
