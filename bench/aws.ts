// `npm run bench -- aws`: 2 000 DynamoDB GetItem calls, one at a time, from the newest
// @aws-sdk/client-dynamodb to dynalite on loopback: uninstrumented, traced by us (AWS spans, then
// AWS + HTTP spans, exported over OTLP/HTTP), and traced by OpenTelemetry's
// @opentelemetry/instrumentation-aws-sdk with its Node SDK (BatchSpanProcessor, OTLP/HTTP
// exporter). Each variant runs in a fresh process, in interleaved rounds; the figures are the
// client process's own CPU per call (process.cpuUsage, export included: the run ends with a
// flush) and wall time per call, as medians of the rounds and as ratios to the uninstrumented run
// of the same invocation. dynalite and the span collector run in this parent process.
// `--no-io`: the same calls answered in-process by a request handler that returns a canned
// GetItem reply (no socket, no dynalite): the SDK's own CPU per call plus the instrumentation's,
// far steadier on a shared machine than the loopback figures.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { env, median, numberFlag, table, textFlag } from './harness.js';

type Variant = 'uninstrumented' | 'ours-aws' | 'ours-aws-http' | 'otel-aws';
const VARIANTS: readonly Variant[] = ['uninstrumented', 'ours-aws', 'ours-aws-http', 'otel-aws'];
const LABELS: Record<Variant, string> = {
  uninstrumented: 'uninstrumented',
  'ours-aws': 'ours: AWS span, OTLP export',
  'ours-aws-http': 'ours: AWS span + HTTP child, OTLP export',
  'otel-aws': 'OpenTelemetry instrumentation-aws-sdk, OTLP export',
};
const TABLE = 'bench';
const require = createRequire(import.meta.url);

interface Result { cpuUsPerCall: number; wallUsPerCall: number; spans: number }

/** Answers every request in-process with a GetItem reply (the SDK's `requestHandler` interface). */
function cannedHandler(): { handle(): Promise<{ response: unknown }>; destroy(): void } {
  const { HttpResponse } = require('@smithy/core/protocols') as { HttpResponse: new (options: object) => unknown };
  const { Readable } = require('node:stream') as typeof import('node:stream');
  const body = Buffer.from('{"Item":{"id":{"S":"item-1"},"total":{"N":"42"}}}');
  return {
    handle: async () => ({
      response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'BENCH' }, body: Readable.from([body]) }),
    }),
    destroy() {},
  };
}

async function child(variant: Variant, endpoint: string, collector: string, calls: number, noIo: boolean, warmup: number): Promise<Result> {
  let flush: () => Promise<void> = async () => {};
  let spans = (): number => 0;
  if (variant === 'ours-aws' || variant === 'ours-aws-http') {
    const { initTracer, installAllPatches } = await import('../src/index.js');
    const tracer = initTracer({ serviceName: 'bench', global: false, sampler: { type: 'const', param: 1 }, reporter: { exporter: 'otlp', otlpEndpoint: `${collector}/v1/traces` } });
    installAllPatches({ tracer, include: variant === 'ours-aws' ? ['aws-sdk'] : ['aws-sdk', 'http-client'] });
    flush = () => tracer.flush();
    spans = () => tracer.stats().spansFinished;
  } else if (variant === 'otel-aws') {
    const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
    const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
    const { AwsInstrumentation } = require('@opentelemetry/instrumentation-aws-sdk') as typeof import('@opentelemetry/instrumentation-aws-sdk');
    let ended = 0;
    const provider = new NodeTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${collector}/v1/traces` })), { onStart() {}, onEnd() { ended++; }, forceFlush: async () => {}, shutdown: async () => {} }],
    });
    provider.register();
    registerInstrumentations({ instrumentations: [new AwsInstrumentation()] });
    flush = () => provider.forceFlush();
    spans = () => ended;
  }
  // Required after the instrumentation is on, as an app's preload would arrange.
  const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({
    endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
    ...(noIo ? { requestHandler: cannedHandler() } : {}),
  });
  const command = (): InstanceType<typeof GetItemCommand> => new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'item-1' } } });
  // The SDK's own cost per call falls for the first ~2 000 calls as V8 optimises it.
  for (let i = 0; i < warmup; i++) await client.send(command());
  await flush();
  const before = spans();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await client.send(command());
  await flush();
  const wallNs = Number(process.hrtime.bigint() - start);
  const used = process.cpuUsage(cpu);
  client.destroy();
  return { cpuUsPerCall: (used.user + used.system) / calls, wallUsPerCall: wallNs / 1000 / calls, spans: spans() - before };
}

async function parent(): Promise<void> {
  const rounds = numberFlag('rounds', 3);
  const calls = numberFlag('calls', 2000);
  const noIo = process.argv.includes('--no-io');
  const dynalite = (await import('dynalite')).default;
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let received = 0;
  const collector = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => { received++; res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(); });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  const { DynamoDBClient, CreateTableCommand, PutItemCommand } = await import('@aws-sdk/client-dynamodb');
  const setup = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' } });
  await setup.send(new CreateTableCommand({ TableName: TABLE, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
  await setup.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'item-1' }, total: { N: '42' } } }));
  setup.destroy();

  const only = textFlag('variants', (noIo ? VARIANTS.filter((v) => v !== 'ours-aws-http') : VARIANTS).join(',')).split(',') as Variant[];
  const results = new Map<Variant, Result[]>(only.map((v) => [v, []]));
  const self = fileURLToPath(import.meta.url);
  for (let round = 0; round < rounds; round++) {
    for (const variant of only) {
      // The child runs while this process serves dynalite and the collector, so spawn asynchronously.
      const output = await new Promise<string>((resolve, reject) => {
        import('node:child_process').then(({ execFile }) => {
          execFile(process.execPath, ['--import', 'tsx', self, '--child', variant, '--endpoint', endpoint, '--collector', collectorUrl, '--calls', String(calls), '--warmup', String(numberFlag('warmup', 2000)), ...(noIo ? ['--no-io'] : [])],
            { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, maxBuffer: 1 << 20 },
            (error, stdout, stderr) => (error ? reject(new Error(`${variant}: ${stderr}`)) : resolve(stdout)));
        }, reject);
      });
      results.get(variant)!.push(JSON.parse(output.trim().split('\n').at(-1)!) as Result);
    }
  }
  server.close();
  collector.close();
  const base = results.get('uninstrumented');
  const baseCpu = base ? median(base.map((r) => r.cpuUsPerCall)) : Number.NaN;
  const baseWall = base ? median(base.map((r) => r.wallUsPerCall)) : Number.NaN;
  const rows = only.map((variant) => {
    const rs = results.get(variant)!;
    const cpu = median(rs.map((r) => r.cpuUsPerCall));
    const wall = median(rs.map((r) => r.wallUsPerCall));
    return [LABELS[variant], cpu, `+${(cpu - baseCpu).toFixed(1)}`, `${(baseCpu / cpu).toFixed(2)}×`, wall, `${(baseWall / wall).toFixed(2)}×`, median(rs.map((r) => r.spans))];
  });
  console.log(table(`AWS SDK: ${calls} DynamoDB GetItem calls ${noIo ? 'answered in-process (no I/O)' : 'to dynalite'}, one at a time (${env()}, ${rounds} interleaved rounds, medians; ${received} OTLP posts received)`,
    ['variant', 'client CPU µs/call', 'added µs', 'throughput ratio (CPU)', 'wall µs/call', 'ratio (wall)', 'spans'], rows));
}

if (process.argv.includes('--child')) {
  const result = await child(textFlag('child', 'uninstrumented') as Variant, textFlag('endpoint', ''), textFlag('collector', ''), numberFlag('calls', 2000), process.argv.includes('--no-io'), numberFlag('warmup', 2000));
  console.log(JSON.stringify(result));
} else {
  await parent();
}
