// Senders of every accepted format, each a real client, against one viewer: our exporters (Jaeger
// UDP compact and binary, collector HTTP, OTLP protobuf and JSON), jaeger-client (UDP and HTTP) and
// OpenTelemetry's OTLP exporters (protobuf and JSON). The viewer's API must return the spans sent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { SpanKind, SpanStatusCode, context, trace as otelTrace } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { initTracer } from '../../src/config/init.js';
import type { ExporterName } from '../../src/config/options.js';
import type { Viewer } from '../../src/viewer/viewer.js';
import type { JaegerSpan, JaegerTrace } from '../../src/viewer/query.js';
import { apiGet, startTestViewer, waitForSpans } from '../support/viewer.js';

let viewer: Viewer;
before(async () => {
  viewer = await startTestViewer();
});
after(() => viewer.close());

function tag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((t) => t.key === key)?.value;
}

async function trace(traceID: string): Promise<JaegerTrace> {
  const body = await apiGet(viewer, `/api/traces/${traceID}`);
  assert.equal(body.data.length, 1);
  return body.data[0]!;
}

describe('our exporters', () => {
  const endpoints = (): Record<ExporterName, object> => ({
    'jaeger-udp': { agentHost: '127.0.0.1', agentPort: viewer.ports.udpPort },
    'jaeger-udp-binary': { agentHost: '127.0.0.1', agentPort: viewer.ports.udpBinaryPort },
    'jaeger-http': { collectorEndpoint: `http://127.0.0.1:${viewer.ports.collectorPort}/api/traces` },
    otlp: { otlpEndpoint: `http://127.0.0.1:${viewer.ports.otlpPort}/v1/traces` },
    'otlp-json': { otlpEndpoint: `http://127.0.0.1:${viewer.ports.otlpPort}/v1/traces` },
    console: {}, none: {},
  });
  for (const exporter of ['jaeger-udp', 'jaeger-udp-binary', 'jaeger-http', 'otlp', 'otlp-json'] as const) {
    it(`${exporter}: the spans sent are the spans shown`, async () => {
      const tracer = initTracer({
        serviceName: `svc-${exporter}`, global: false, tags: { build: 7 },
        reporter: { exporter, ...endpoints()[exporter] }, sampler: { type: 'const', param: 1 },
      });
      let traceId = '';
      let rootId = '';
      let childId = '';
      const logAt = Date.now();
      await tracer.startActiveSpan('checkout', async (root) => {
        root.setTag('span.kind', 'server').setTag('user.id', 42).setTag('ratio', 0.25).setTag('cached', false).setTag('path', '/a b');
        root.log({ event: 'cart loaded', items: 3 }, logAt);
        const child = tracer.startSpan('charge card');
        child.setTag('error', true);
        child.finish();
        traceId = root.context().toTraceId();
        rootId = root.context().toSpanId();
        childId = child.context().toSpanId();
      });
      await tracer.close();
      await waitForSpans(viewer, traceId, 2);
      const shown = await trace(traceId);
      assert.equal(shown.traceID, traceId);
      assert.equal(shown.spans.length, 2);
      const [root, child] = shown.spans.sort((a, b) => (a.spanID === rootId ? -1 : b.spanID === rootId ? 1 : 0));
      assert.equal(root!.spanID, rootId);
      assert.equal(root!.operationName, 'checkout');
      assert.deepEqual(root!.references, []);
      assert.equal(tag(root!, 'span.kind'), 'server');
      assert.equal(tag(root!, 'user.id'), 42);
      assert.equal(tag(root!, 'ratio'), 0.25);
      assert.equal(tag(root!, 'cached'), false);
      assert.equal(tag(root!, 'path'), '/a b');
      assert.equal(root!.logs.length, 1);
      assert.equal(Math.round(root!.logs[0]!.timestamp / 1000), logAt);
      assert.deepEqual(root!.logs[0]!.fields.map((f) => [f.key, f.value]), [['event', 'cart loaded'], ['items', 3]]);
      assert.equal(child!.spanID, childId);
      assert.equal(child!.operationName, 'charge card');
      assert.deepEqual(child!.references, [{ refType: 'CHILD_OF', traceID: traceId, spanID: rootId }]);
      assert.equal(tag(child!, 'error'), true);
      assert.ok(child!.startTime >= root!.startTime && child!.duration <= root!.duration);
      const process = shown.processes[root!.processID]!;
      assert.equal(process.serviceName, `svc-${exporter}`);
      assert.equal(process.tags.find((t) => t.key === 'build')?.value, 7);
    });
  }
});

interface JaegerClientSpan {
  setTag(key: string, value: unknown): JaegerClientSpan;
  log(fields: object): void;
  finish(): void;
  context(): { toTraceId(): string; toSpanId(): string };
}
interface JaegerClientTracer {
  startSpan(name: string, options?: { childOf?: JaegerClientSpan }): JaegerClientSpan;
  close(callback: () => void): void;
}
const jaeger = createRequire(import.meta.url)('jaeger-client') as {
  initTracer(config: object, options: object): JaegerClientTracer;
};
const silent = { info: () => {}, error: () => {} };

describe('jaeger-client', () => {
  for (const transport of ['udp', 'http'] as const) {
    it(`over ${transport === 'udp' ? 'UDP (binary Thrift, agent port)' : 'HTTP (collector endpoint)'}: spans arrive as sent`, async () => {
      const reporter = transport === 'udp'
        ? { agentHost: '127.0.0.1', agentPort: viewer.ports.udpBinaryPort, flushIntervalMs: 10 }
        : { collectorEndpoint: `http://127.0.0.1:${viewer.ports.collectorPort}/api/traces`, flushIntervalMs: 10 };
      const tracer = jaeger.initTracer({ serviceName: `jaeger-client-${transport}`, sampler: { type: 'const', param: 1 }, reporter }, { logger: silent, traceId128bit: true });
      const root = tracer.startSpan('GET /items').setTag('http.status_code', 200).setTag('span.kind', 'server');
      const child = tracer.startSpan('SELECT items', { childOf: root }).setTag('db.type', 'sql');
      child.log({ event: 'rows', count: 12 });
      child.finish();
      root.finish();
      await new Promise<void>((resolve) => tracer.close(resolve));
      const traceID = root.context().toTraceId().padStart(32, '0');
      await waitForSpans(viewer, traceID, 2);
      const shown = await trace(traceID);
      const byName = new Map(shown.spans.map((s) => [s.operationName, s]));
      const shownRoot = byName.get('GET /items')!;
      const shownChild = byName.get('SELECT items')!;
      assert.equal(shownRoot.spanID, root.context().toSpanId().padStart(16, '0'));
      assert.equal(tag(shownRoot, 'http.status_code'), 200);
      assert.deepEqual(shownChild.references, [{ refType: 'CHILD_OF', traceID, spanID: shownRoot.spanID }]);
      assert.equal(tag(shownChild, 'db.type'), 'sql');
      assert.deepEqual(shownChild.logs[0]!.fields.map((f) => [f.key, f.value]), [['event', 'rows'], ['count', 12]]);
      assert.equal(shown.processes[shownRoot.processID]!.serviceName, `jaeger-client-${transport}`);
    });
  }
});

describe("OpenTelemetry's OTLP exporters", () => {
  const exporters: [string, () => SpanExporter][] = [
    ['protobuf', () => new OtlpProtoExporter({ url: `http://127.0.0.1:${viewer.ports.otlpPort}/v1/traces` })],
    ['JSON', () => new OtlpJsonExporter({ url: `http://127.0.0.1:${viewer.ports.otlpPort}/v1/traces` })],
  ];
  for (const [name, make] of exporters) {
    it(`${name}: spans, kinds, status, events and resource arrive as sent`, async () => {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': `otel-${name}`, 'deployment.environment': 'test' }),
        spanProcessors: [new SimpleSpanProcessor(make())],
      });
      const tracer = provider.getTracer('peer-test', '1.2.3');
      const root = tracer.startSpan('POST /pay', { kind: SpanKind.SERVER, attributes: { 'http.response.status_code': 500, big: 2 ** 40, tags: ['a', 'b'] } });
      const ctx = otelTrace.setSpan(context.active(), root);
      const child = tracer.startSpan('call bank', { kind: SpanKind.CLIENT }, ctx);
      child.addEvent('retry', { attempt: 2 });
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'bank timed out' });
      child.end();
      root.end();
      await provider.forceFlush();
      await provider.shutdown();
      const traceID = root.spanContext().traceId;
      await waitForSpans(viewer, traceID, 2);
      const shown = await trace(traceID);
      const byName = new Map(shown.spans.map((s) => [s.operationName, s]));
      const r = byName.get('POST /pay')!;
      const c = byName.get('call bank')!;
      assert.equal(r.spanID, root.spanContext().spanId);
      assert.equal(tag(r, 'span.kind'), 'server');
      assert.equal(tag(r, 'http.response.status_code'), 500);
      assert.equal(tag(r, 'big'), 2 ** 40);
      assert.equal(tag(r, 'tags'), '["a","b"]');
      assert.equal(tag(r, 'otel.scope.name'), 'peer-test');
      assert.equal(c.spanID, child.spanContext().spanId);
      assert.deepEqual(c.references, [{ refType: 'CHILD_OF', traceID, spanID: r.spanID }]);
      assert.equal(tag(c, 'span.kind'), 'client');
      assert.equal(tag(c, 'error'), true);
      assert.equal(tag(c, 'otel.status_description'), 'bank timed out');
      assert.deepEqual(c.logs[0]!.fields.map((f) => [f.key, f.value]), [['event', 'retry'], ['attempt', 2]]);
      const process = shown.processes[r.processID]!;
      assert.equal(process.serviceName, `otel-${name}`);
      assert.equal(process.tags.find((t) => t.key === 'deployment.environment')?.value, 'test');
      assert.ok(c.startTime >= r.startTime);
    });
  }
});
