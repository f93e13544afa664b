// Per-span cost of the tracer core, side by side with OpenTelemetry's SDK and jaeger-client in
// the same process. Each sample is a batch of spans; queues are drained between samples (untimed),
// so every sample measures the same steady state: span made, tagged, finished and queued.
import { createRequire } from 'node:module';
import { context as otelContext, trace as otelTrace, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { initTracer } from '../src/config/init.js';
import { BatchingReporter } from '../src/reporting/batching-reporter.js';
import type { Reporter } from '../src/tracer/types.js';
import { env, measure, measureAsync, table } from './harness.js';

const require = createRequire(import.meta.url);
const jaeger = require('jaeger-client') as {
  Tracer: new (service: string, reporter: unknown, sampler: unknown) => {
    startSpan(name: string, options?: { childOf?: unknown }): { setTag(k: string, v: unknown): unknown; finish(): void; context(): unknown };
  };
  NoopReporter: new () => unknown;
  ConstSampler: new (decision: boolean) => unknown;
};

// Ours: the real reporter (bounded queue, batches, flush) in front of an exporter that sends
// nowhere: encoding and sending are measured separately (bench/encoding-*.ts).
const nowhere = {
  export: async (spans: readonly unknown[]) => ({ sent: spans.length, droppedTooLarge: 0, failed: 0 }),
  shutdown: async () => {},
};
function ourTracer(sampled: boolean): { tracer: ReturnType<typeof initTracer>; reporter: Reporter } {
  const reporter = new BatchingReporter(nowhere, { logger: {}, flushIntervalMs: 60_000 });
  const tracer = initTracer({ serviceName: 'bench', global: false, sampler: { type: 'const', param: sampled ? 1 : 0 } }, { reporter });
  return { tracer, reporter };
}

const noopExporter = { export: (_spans: unknown, done: (r: { code: number }) => void) => done({ code: 0 }), shutdown: async () => {} };
function otelTracer(sampled: boolean) {
  const processor = new BatchSpanProcessor(noopExporter, { maxQueueSize: 10_000, maxExportBatchSize: 1000 });
  const provider = new BasicTracerProvider({ sampler: sampled ? new AlwaysOnSampler() : new AlwaysOffSampler(), spanProcessors: [processor] });
  return { tracer: provider.getTracer('bench'), processor };
}

async function main(): Promise<void> {
  otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const rows: (string | number)[][] = [];

  for (const sampled of [true, false]) {
    const label = sampled ? 'sampled' : 'unsampled';
    const ours = ourTracer(sampled);
    const ourRoot = ours.tracer.startSpan('root');
    const oursNs = await measure(() => {
      const span = ours.tracer.startSpan('child', { childOf: ourRoot });
      span.setTag('http.method', 'GET');
      span.setTag('http.status_code', 200);
      span.finish();
    }, { batch: 1000, samples: 101, between: () => ours.reporter.flush() });

    const otel = otelTracer(sampled);
    const otelRoot = otel.tracer.startSpan('root');
    const otelParent: Context = otelTrace.setSpan(otelContext.active(), otelRoot);
    const otelNs = await measure(() => {
      const span = otel.tracer.startSpan('child', undefined, otelParent);
      span.setAttribute('http.method', 'GET');
      span.setAttribute('http.status_code', 200);
      span.end();
    }, { batch: 1000, samples: 101, between: () => otel.processor.forceFlush() });

    const jaegerTracer = new jaeger.Tracer('bench', new jaeger.NoopReporter(), new jaeger.ConstSampler(sampled));
    const jaegerRoot = jaegerTracer.startSpan('root');
    const jaegerNs = await measure(() => {
      const span = jaegerTracer.startSpan('child', { childOf: jaegerRoot.context() });
      span.setTag('http.method', 'GET');
      span.setTag('http.status_code', 200);
      span.finish();
    }, { batch: 1000, samples: 101 });
    rows.push([`child span, ${label}: start + 2 tags + finish`, oursNs, otelNs, jaegerNs, otelNs / oursNs, jaegerNs / oursNs]);
    await ours.tracer.close();
  }

  // An active span around an awaited no-op; jaeger-client has no active span, so it does the
  // nearest thing (start, await, finish). The bare await is the baseline all of them pay.
  const ours = ourTracer(true);
  const otel = otelTracer(true);
  const jaegerTracer = new jaeger.Tracer('bench', new jaeger.NoopReporter(), new jaeger.ConstSampler(true));
  const noop = async (): Promise<void> => {};
  const bareNs = await measureAsync(() => noop());
  const oursActive = await measureAsync(() => ours.tracer.startActiveSpan('op', noop), { between: () => ours.reporter.flush() });
  const otelActive = await measureAsync(() => otel.tracer.startActiveSpan('op', async (span) => { await noop(); span.end(); }),
    { between: () => otel.processor.forceFlush() });
  const jaegerActive = await measureAsync(async () => { const span = jaegerTracer.startSpan('op'); await noop(); span.finish(); });
  rows.push(['startActiveSpan around an awaited no-op (minus bare await)', oursActive - bareNs, otelActive - bareNs, jaegerActive - bareNs,
    (otelActive - bareNs) / (oursActive - bareNs), (jaegerActive - bareNs) / (oursActive - bareNs)]);
  await ours.tracer.close();

  console.log(table(`Span cost, ns per operation (median of the samples; ${env()})`,
    ['case', 'ours', 'OpenTelemetry', 'jaeger-client', 'OTel / ours', 'jaeger / ours'], rows));
}

void main();
