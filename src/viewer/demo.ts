// `demo`: the viewer (or the one already running) plus three example services from
// examples/demo, each its own process started with the register preload exactly as a user would,
// each exporting in a different format (Jaeger UDP compact, OTLP protobuf, Jaeger collector HTTP).
// The orders service also queries a throwaway MariaDB (mysql2) and a local DynamoDB (dynalite) when
// this machine has them; whatever cannot start is said in one line and the demo goes on without it.
// It sends a few requests, one of which fails, and prints the URL of every resulting trace.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ownUrl } from '../hooks/own-url.js';
import { LIBRARY_NAME } from '../version.js';
import { loadDynalite, startDemoDynamoDb } from './demo-dynamodb.js';
import { mariaDbMissing, startDemoMariaDb } from './demo-mariadb.js';
import { PortError } from './receivers.js';
import { DEFAULT_PORTS, startViewer } from './viewer.js';
import type { Viewer, ViewerOptions, ViewerPorts } from './viewer.js';

export function packageRoot(): string {
  const own = ownUrl();
  let dir = own === undefined ? process.cwd() : dirname(fileURLToPath(own));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === LIBRARY_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${LIBRARY_NAME} package directory`);
    dir = parent;
  }
}

interface RunningViewer {
  host: string;
  ports: ViewerPorts;
  uiUrl(path: string): string;
  /** Ours to close; undefined when another process runs it. */
  own?: Viewer;
}

async function runningViewer(host: string, uiPort: number): Promise<RunningViewer | undefined> {
  try {
    const response = await fetch(`http://${host}:${uiPort}/api/stats`, { signal: AbortSignal.timeout(1000) });
    const stats = (await response.json()) as { service?: string; ports?: ViewerPorts };
    if (stats.service?.includes('viewer') !== true || stats.ports === undefined) return undefined;
    return { host, ports: stats.ports, uiUrl: (path) => `http://${host}:${uiPort}${path}` };
  } catch {
    return undefined;
  }
}

async function viewerFor(options: ViewerOptions, say: (line: string) => void): Promise<RunningViewer> {
  const host = options.host ?? '127.0.0.1';
  const reused = await runningViewer(host, options.uiPort ?? DEFAULT_PORTS.uiPort);
  if (reused !== undefined) {
    say(`using the viewer already running at ${reused.uiUrl('/')}`);
    return reused;
  }
  const explicit = Object.keys(options).some((key) => key.endsWith('Port'));
  try {
    const own = await startViewer(options);
    return { host, ports: own.ports, uiUrl: own.uiUrl, own };
  } catch (error) {
    if (!(error instanceof PortError) || explicit) throw error;
    say(`${error.message.split(';')[0]}: using free ports instead`);
    const own = await startViewer({ ...options, udpPort: 0, udpBinaryPort: 0, collectorPort: 0, otlpPort: 0, uiPort: 0, samplingPort: 0 });
    return { host, ports: own.ports, uiUrl: own.uiUrl, own };
  }
}

/** Starts one example service; `children` gets it at once, so that stop() ends it even mid-start. */
function startService(children: ChildProcess[], root: string, file: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number; framework: string }> {
  const child = spawn(process.execPath, ['--import', `${LIBRARY_NAME}/register`, join(root, 'examples', 'demo', file)], {
    cwd: root,
    env: { ...process.env, JAEGER_REPORTER_FLUSH_INTERVAL: '100', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${file} did not start within 15 s`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+) \(([^)]+)\)/.exec(out);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), framework: match[2]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${code}) before listening`));
    });
  });
}

const SEED_SQL = `CREATE TABLE stock (item VARCHAR(32) PRIMARY KEY, available INT NOT NULL);
INSERT INTO stock VALUES ('book', 12), ('lamp', 3), ('chair', 0);`;
const PRICES = { book: 12.5, lamp: 39, chair: 85 };

interface Backing {
  /** Environment for the orders service: where its database and DynamoDB are. */
  env: Record<string, string>;
  started: string[];
  stop(): Promise<void>;
}

function resolvable(from: string, name: string): boolean {
  try {
    createRequire(from).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** MariaDB and dynalite for the orders service, each only when it can run; never throws. */
async function startBacking(root: string, say: (line: string) => void): Promise<Backing> {
  const orders = join(root, 'examples', 'demo', 'orders.mjs');
  const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const mariaMissing = resolvable(orders, 'mysql2') ? mariaDbMissing() : 'mysql2 is not installed';
  const dynalite = loadDynalite(orders);
  const dynamoMissing = dynalite === undefined ? 'dynalite is not installed' : resolvable(orders, '@aws-sdk/client-dynamodb') ? undefined : '@aws-sdk/client-dynamodb is not installed';
  const [maria, dynamo] = await Promise.allSettled([
    mariaMissing === undefined ? startDemoMariaDb(SEED_SQL) : Promise.reject(new Error(mariaMissing)),
    dynamoMissing === undefined ? startDemoDynamoDb(dynalite!, PRICES) : Promise.reject(new Error(dynamoMissing)),
  ]);
  const env: Record<string, string> = {};
  const started: string[] = [];
  if (maria.status === 'fulfilled') {
    const db = maria.value;
    Object.assign(env, { DEMO_MYSQL_HOST: db.host, DEMO_MYSQL_PORT: String(db.port), DEMO_MYSQL_USER: db.user, DEMO_MYSQL_PASSWORD: db.password, DEMO_MYSQL_DATABASE: db.database });
    started.push(`MariaDB on ${db.host}:${db.port}`);
  } else say(`not started: MariaDB (${reason(maria.reason)}); orders goes on without it`);
  if (dynamo.status === 'fulfilled') {
    // The SDK's notice about future Node versions is not what the demo is about.
    Object.assign(env, { DEMO_DYNAMODB_ENDPOINT: dynamo.value.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    started.push(`DynamoDB (dynalite) on ${dynamo.value.endpoint.slice('http://'.length)}`);
  } else say(`not started: DynamoDB (${reason(dynamo.reason)}); orders goes on without it`);
  return {
    env,
    started,
    stop: async () => {
      await Promise.allSettled([
        maria.status === 'fulfilled' ? maria.value.stop() : undefined,
        dynamo.status === 'fulfilled' ? dynamo.value.stop() : undefined,
      ]);
    },
  };
}

export interface DemoTrace {
  request: string;
  status: number;
  traceID: string;
  url: string;
}

export interface DemoResult {
  viewerUrl: string;
  gatewayUrl: string;
  traces: DemoTrace[];
  stop(): Promise<void>;
}

const REQUESTS = ['/checkout/book', '/checkout/lamp', '/orders/recent', '/checkout/chair', '/checkout/unicorn'];

interface ApiTrace { traceID: string; spans: { startTime: number; operationName: string; tags: { key: string; value: unknown }[] }[] }

/** Polls the viewer until the demo's traces have arrived and stopped growing. */
async function awaitTraces(viewer: RunningViewer, since: number, count: number): Promise<ApiTrace[]> {
  let last = '';
  let found: ApiTrace[] = [];
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const response = await fetch(viewer.uiUrl(`/api/traces?service=gateway&start=${since}&limit=${count * 4}`));
    found = ((await response.json()) as { data: ApiTrace[] }).data;
    const shape = found.map((t) => `${t.traceID}:${t.spans.length}`).sort().join(',');
    if (found.length >= count && shape === last) break;
    last = shape;
  }
  return found;
}

/**
 * `onStarting` receives the demo's stop function before anything is started, so that Ctrl-C during
 * the start-up stops what has started so far (the database above all).
 */
export async function runDemo(options: ViewerOptions, say: (line: string) => void, onStarting?: (stop: () => Promise<void>) => void): Promise<DemoResult> {
  const root = packageRoot();
  const children: ChildProcess[] = [];
  let viewer: RunningViewer | undefined;
  let backingStarted: Promise<Backing> | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= (async () => {
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    })));
    await (await backingStarted)?.stop();
    await viewer?.own?.close();
  })());
  onStarting?.(stop);
  try {
    const running = (viewer = await viewerFor(options, say));
    const agentHost = running.host === '0.0.0.0' ? '127.0.0.1' : running.host;
    backingStarted = startBacking(root, say);
    const inventory = await startService(children, root, 'inventory.mjs', {
      JAEGER_SERVICE_NAME: 'inventory', JAEGER_ENDPOINT: `http://${agentHost}:${running.ports.collectorPort}/api/traces`,
    });
    const { env: backingEnv, started } = await backingStarted;
    const orders = await startService(children, root, 'orders.mjs', {
      OTEL_SERVICE_NAME: 'orders', OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://${agentHost}:${running.ports.otlpPort}/v1/traces`,
      INVENTORY_URL: `http://127.0.0.1:${inventory.port}`, ...backingEnv,
    });
    const gateway = await startService(children, root, 'gateway.mjs', {
      JAEGER_SERVICE_NAME: 'gateway', JAEGER_AGENT_HOST: agentHost, JAEGER_AGENT_PORT: String(running.ports.udpPort),
      ORDERS_URL: `http://127.0.0.1:${orders.port}`,
    });
    say(`started gateway (${gateway.framework} → Jaeger UDP), orders (${orders.framework} → OTLP protobuf), inventory (${inventory.framework} → Jaeger collector HTTP)`);
    if (started.length > 0) say(`started for orders: ${started.join(', ')}`);

    const gatewayUrl = `http://127.0.0.1:${gateway.port}`;
    const since = Date.now() * 1000;
    const statuses: number[] = [];
    for (const path of REQUESTS) {
      // A service stuck on its database must not hang the demo: that request shows as status 0.
      const response = await fetch(gatewayUrl + path, { signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
      await response?.arrayBuffer().catch(() => undefined);
      statuses.push(response?.status ?? 0);
    }
    const found = (await awaitTraces(running, since, REQUESTS.length)).sort((a, b) => Math.min(...a.spans.map((s) => s.startTime)) - Math.min(...b.spans.map((s) => s.startTime)));
    const traces = found.slice(-REQUESTS.length).map((trace, i): DemoTrace => ({
      request: `GET ${REQUESTS[i]}`, status: statuses[i] ?? 0, traceID: trace.traceID, url: running.uiUrl(`/trace/${trace.traceID}`),
    }));
    return { viewerUrl: running.uiUrl('/'), gatewayUrl, traces, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
