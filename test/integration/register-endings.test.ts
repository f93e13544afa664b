// How a preloaded app ends (Ctrl-C, an uncaught exception, process.exit) must not change, and the
// spans it finished just before must still arrive: with every exporter, against real receivers on
// loopback, in real child processes of the built package.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { buildPackageWithApps } from '../fixtures/register-apps/build-package.js';
import type { BuiltApps } from '../fixtures/register-apps/build-package.js';
import { startUdpReceiver } from '../support/udp-receiver.js';
import type { UdpReceiver } from '../support/udp-receiver.js';
import { startHttpCollector } from '../support/http-collector.js';
import type { HttpCollector } from '../support/http-collector.js';

let apps: BuiltApps;
let agent: UdpReceiver;
let collector: HttpCollector;

type Exporter = 'jaeger-udp' | 'jaeger-http' | 'otlp' | 'console';
type Mode = 'sigint' | 'own-sigint-handler' | 'throw' | 'throw-at-once' | 'handler-throws' | 'exit';

interface Ending {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function exporterEnv(exporter: Exporter, service: string): NodeJS.ProcessEnv {
  switch (exporter) {
    case 'jaeger-udp':
      return { JAEGER_AGENT_HOST: agent.host, JAEGER_AGENT_PORT: String(agent.port) };
    case 'jaeger-http':
      return { JAEGER_ENDPOINT: `${collector.origin}/api/traces/${service}` };
    case 'otlp':
      return { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.origin}/v1/traces/${service}` };
    case 'console':
      return { OTEL_TRACES_EXPORTER: 'console' };
  }
}

function run(mode: Mode, options: { exporter?: Exporter; service?: string; preload: boolean }): Promise<Ending> {
  const service = options.service ?? 'plain';
  const child = spawn(process.execPath, [...(options.preload ? ['-r', 'opentracing-async-instrumentation/register'] : []), 'app-ending.cjs'], {
    cwd: apps.dir,
    env: {
      PATH: process.env.PATH,
      APP_MODE: mode,
      JAEGER_SERVICE_NAME: service,
      JAEGER_REPORTER_FLUSH_INTERVAL: '60000', // so only the ending can deliver the span
      ...(options.exporter === undefined ? {} : exporterEnv(options.exporter, service)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('ready')) child.kill('SIGINT');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

/** Whether the span reached the exporter's receiver (span and service names are plain UTF-8 in every wire format). */
async function delivered(exporter: Exporter, service: string, ending: Ending): Promise<boolean> {
  const has = (body: Buffer): boolean => body.includes('ending-root') && body.includes(service);
  try {
    if (exporter === 'console') return /ending-root/.test(ending.stderr) && ending.stderr.includes(service);
    if (exporter === 'jaeger-udp') return (await agent.waitUntil((datagrams) => datagrams.some(has), 3000)).length > 0;
    const path = exporter === 'otlp' ? `/v1/traces/${service}` : `/api/traces/${service}`;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      if (collector.received.some((r) => r.url === path && has(r.body))) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  } catch {
    return false;
  }
}

/** The ending without the console exporter's trace (so it can be compared with the plain run). */
function withoutTrace({ code, signal, stderr }: Ending): Ending {
  return { code, signal, stderr: stderr.replace(/^trace [0-9a-f]{32} · [\s\S]*?\n\n/gm, '') };
}

before(async () => {
  [apps, agent, collector] = await Promise.all([buildPackageWithApps(), startUdpReceiver(), startHttpCollector(200)]);
});

after(async () => {
  apps?.remove();
  await Promise.all([agent?.close(), collector?.close()]);
});

const EXPORTERS: readonly Exporter[] = ['jaeger-udp', 'jaeger-http', 'otlp', 'console'];
const MODES: readonly [Mode, string][] = [
  ['sigint', 'SIGINT with no handler of the app: the process still dies of SIGINT'],
  ['own-sigint-handler', "SIGINT with the app's own handler: the app decides (exit code 7 after 200 ms)"],
  ['throw', 'an uncaught exception: the same message, exit code 1'],
  ['throw-at-once', 'an uncaught exception in the main module, before any event-loop turn: the same message, exit code 1'],
  ['handler-throws', "an uncaughtException handler that throws: the same message, exit code 7"],
  ['exit', 'process.exit(3) right after the span: exit code 3'],
];

describe('register preload: how the app ends is unchanged, and the last spans are delivered', () => {
  for (const [mode, title] of MODES) {
    test(title, async () => {
      const plain = await run(mode, { preload: false });
      assert.notEqual(plain.code ?? plain.signal, 0, 'the plain run ends as the mode says');
      await Promise.all(EXPORTERS.map(async (exporter) => {
        const service = `${mode}-${exporter}`;
        const traced = await run(mode, { exporter, service, preload: true });
        assert.deepEqual(withoutTrace(traced), plain, `${exporter}: the same ending as without tracing`);
        assert.ok(await delivered(exporter, service, traced), `${exporter}: the span was delivered`);
      }));
    });
  }
});
