import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { buildPackageWithApps } from '../fixtures/register-apps/build-package.js';
import type { BuiltApps } from '../fixtures/register-apps/build-package.js';
import { decodeCompactEmitBatch, decodedTagOf } from '../peers/jaeger-thrift-decode.js';
import type { DecodedSpan } from '../peers/jaeger-thrift-decode.js';
import { startUdpReceiver } from '../support/udp-receiver.js';
import type { UdpReceiver } from '../support/udp-receiver.js';
import { headerValues, startHttpServer } from './http-client-servers.js';
import type { TestServer } from './http-client-servers.js';

// Real child processes against the built package (ESM and CommonJS builds), reporting over UDP
// in Jaeger's compact Thrift to a receiver in this test.
let apps: BuiltApps;
let server: TestServer;
let agent: UdpReceiver;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

/** How the process ended, and whatever it complained about. */
function ending({ code, signal, stderr }: Exit): Omit<Exit, 'stdout'> {
  return { code, signal, stderr };
}

type Mode = 'natural' | 'exit-code' | 'wait-for-sigterm' | 'own-sigterm-handler';

function runApp(preload: string[], app: string, service: string, mode: Mode): Promise<Exit> {
  const child = spawn(process.execPath, [...preload, app], {
    cwd: apps.dir,
    env: {
      PATH: process.env.PATH,
      TARGET_URL: server.origin,
      APP_MODE: mode,
      JAEGER_SERVICE_NAME: service,
      JAEGER_AGENT_HOST: agent.host,
      JAEGER_AGENT_PORT: String(agent.port),
      JAEGER_SAMPLER_TYPE: 'const',
      JAEGER_SAMPLER_PARAM: '1',
      JAEGER_REPORTER_FLUSH_INTERVAL: '60000', // so only the exit flush can deliver the spans
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (chunk.toString().includes('ready')) child.kill('SIGTERM');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, stdout });
    });
  });
}

const hex = (id: bigint): string => BigInt.asUintN(64, id).toString(16).padStart(16, '0');

const tagOf = decodedTagOf;

/** Waits for the service's spans, then checks the trace: root → fetch and node-http client spans. */
async function assertTrace(service: string, rootName: string): Promise<void> {
  const spansOf = (datagrams: readonly Buffer[]): DecodedSpan[] => datagrams
    .map((d) => decodeCompactEmitBatch(d).batch)
    .filter((batch) => batch.process.serviceName === service)
    .flatMap((batch) => batch.spans);
  await agent.waitUntil((datagrams) => spansOf(datagrams).length >= 3, 5000);
  const spans = spansOf(agent.datagrams);
  assert.equal(spans.length, 3);
  const root = spans.find((s) => s.operationName === rootName);
  assert.ok(root !== undefined, `a ${rootName} span`);
  assert.equal(root.parentSpanId, 0n);
  const clients = spans.filter((s) => s !== root);
  assert.deepEqual(clients.map((s) => tagOf(s, 'component')).sort(), ['fetch', 'node-http']);
  for (const client of clients) {
    assert.equal(client.operationName, 'GET');
    assert.equal(client.parentSpanId, root.spanId);
    assert.equal(client.traceIdLow, root.traceIdLow);
    assert.equal(client.traceIdHigh, root.traceIdHigh);
    assert.equal(tagOf(client, 'span.kind'), 'client');
    const path = tagOf(client, 'component') === 'fetch' ? '/fetch' : '/http';
    assert.equal(tagOf(client, 'http.url'), `${server.origin}${path}`);
    const seen = server.seen.filter((r) => r.url === path && headerValues(r, 'traceparent')[0]?.includes(hex(client.spanId)));
    assert.equal(seen.length, 1, `the server got ${path} with the client span's traceparent`);
    assert.equal(headerValues(seen[0]!, 'traceparent')[0], `00-${hex(client.traceIdHigh)}${hex(client.traceIdLow)}-${hex(client.spanId)}-01`);
  }
}

before(async () => {
  [apps, server, agent] = await Promise.all([buildPackageWithApps(), startHttpServer(), startUdpReceiver()]);
});

after(async () => {
  apps?.remove();
  await Promise.all([server?.close(), agent?.close()]);
});

describe('register preload', () => {
  test('ESM app with --import: fetch and node:http traced, flushed when the app ends on its own', async () => {
    const exit = await runApp(['--import', 'opentracing-async-instrumentation/register'], 'app.mjs', 'esm-natural', 'natural');
    assert.deepEqual(ending(exit), { code: 0, signal: null, stderr: '' });
    await assertTrace('esm-natural', 'esm-root');
  });

  test('CommonJS app with -r: the same', async () => {
    const exit = await runApp(['-r', 'opentracing-async-instrumentation/register'], 'app.cjs', 'cjs-natural', 'natural');
    assert.deepEqual(ending(exit), { code: 0, signal: null, stderr: '' });
    // Node 20 runs `-r` preloads again in its module-hooks thread: the preload must stay out of it.
    assert.match(exit.stdout, /import loader: registered/);
    await assertTrace('cjs-natural', 'cjs-root');
  });

  test('the exit code the app chose is kept', async () => {
    const exit = await runApp(['--import', 'opentracing-async-instrumentation/register'], 'app.mjs', 'esm-exit-code', 'exit-code');
    assert.deepEqual(ending(exit), { code: 3, signal: null, stderr: '' });
    await assertTrace('esm-exit-code', 'esm-root');
  });

  test('SIGTERM with no handler of the app: spans flushed, the process still dies of SIGTERM', async () => {
    const exit = await runApp(['-r', 'opentracing-async-instrumentation/register'], 'app.cjs', 'cjs-sigterm', 'wait-for-sigterm');
    assert.deepEqual(ending(exit), { code: null, signal: 'SIGTERM', stderr: '' });
    await assertTrace('cjs-sigterm', 'cjs-root');
  });

  test("SIGTERM with the app's own handler: the app decides how it ends, spans flushed meanwhile", async () => {
    const exit = await runApp(['--import', 'opentracing-async-instrumentation/register'], 'app.mjs', 'esm-own-handler', 'own-sigterm-handler');
    assert.deepEqual(ending(exit), { code: 7, signal: null, stderr: '' });
    await assertTrace('esm-own-handler', 'esm-root');
  });

  test('OTAI_* variables: ignored paths make no span, the caller header names peer.service', async () => {
    const child = spawn(process.execPath, ['-r', 'opentracing-async-instrumentation/register', 'app-server.cjs'], {
      cwd: apps.dir,
      env: {
        PATH: process.env.PATH,
        JAEGER_SERVICE_NAME: 'env-options',
        JAEGER_AGENT_HOST: agent.host,
        JAEGER_AGENT_PORT: String(agent.port),
        OTAI_IGNORE_PATHS: '/health,^/metrics/',
        OTAI_CALLER_NAME_HEADERS: 'x-caller',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const match = /port (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
      });
    });
    for (const path of ['/health', '/metrics/cpu', '/work']) {
      await (await fetch(`http://127.0.0.1:${port}${path}`, { headers: { 'x-caller': 'web' } })).text();
    }
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    assert.equal(stderr, '');
    const spansOf = (datagrams: readonly Buffer[]): DecodedSpan[] => datagrams
      .map((d) => decodeCompactEmitBatch(d).batch)
      .filter((batch) => batch.process.serviceName === 'env-options')
      .flatMap((batch) => batch.spans);
    await agent.waitUntil((datagrams) => spansOf(datagrams).length >= 1, 5000);
    const spans = spansOf(agent.datagrams);
    assert.deepEqual(spans.map((s) => tagOf(s, 'http.url')), ['/work']);
    assert.equal(tagOf(spans[0]!, 'peer.service'), 'web');
  });
});
