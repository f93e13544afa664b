// OTLP encoding throughput: our protobuf and JSON encoders against OpenTelemetry's own serialisers
// (@opentelemetry/otlp-transformer) on equivalent spans, 1000 spans per request, in one process.
// OpenTelemetry's spans are real ReadableSpans made by @opentelemetry/sdk-trace-base.
import { SpanKind, context as otelContext, trace } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { initTracer } from '../src/config/init.js';
import { SpanContext } from '../src/tracer/span-context.js';
import type { Span } from '../src/tracer/span.js';
import { OtlpProtoEncoder } from '../src/encoding/otlp-proto.js';
import { encodeOtlpJson } from '../src/encoding/otlp-json.js';
import type { OtlpProcess } from '../src/encoding/otlp-common.js';
import { env, measure, table } from './harness.js';

const SPANS_PER_REQUEST = 1000;
const SERVER_TAGS: Attributes = {
  component: 'http', 'http.method': 'GET', 'http.url': '/orders/42?expand=items',
  'http.route': '/orders/:id', 'http.status_code': 200, 'peer.ipv4': '127.0.0.1',
};
const CHILD_TAGS: Attributes = { 'http.method': 'GET', 'http.status_code': 200 };
const SHAPES = [
  { label: 'server span (7 tags)', name: 'GET /orders/:id', kindTag: 'server', kind: SpanKind.SERVER, attributes: SERVER_TAGS },
  { label: 'child span (2 tags)', name: 'GET inventory', kindTag: undefined, kind: SpanKind.INTERNAL, attributes: CHILD_TAGS },
];
const PROCESS: OtlpProcess = {
  serviceName: 'bench',
  processTags: { hostname: 'bench-host', ip: '10.0.0.7', 'client-uuid': '6f1c2d3e-0000-4000-8000-000000000000', 'jaeger.version': 'bench' },
};
const silent = { error() {}, warn() {}, info() {} };

function ourSpans(shape: (typeof SHAPES)[number]): Span[] {
  const spans: Span[] = [];
  const tracer = initTracer({ serviceName: PROCESS.serviceName, global: false },
    { reporter: { report: (span) => spans.push(span), async flush() {}, async close() {} }, logger: silent });
  const parent = new SpanContext([0x1234, 0x5678, 0x9abc, 0xdef0], 0x1111, 0x2222, 0, 0, 1, null);
  for (let i = 0; i < SPANS_PER_REQUEST; i++) {
    const span = tracer.startSpan(shape.name, { childOf: parent });
    if (shape.kindTag !== undefined) span.setTag('span.kind', shape.kindTag);
    for (const key in shape.attributes) span.setTag(key, shape.attributes[key]);
    span.finish();
  }
  return spans;
}

function otelSpans(shape: (typeof SHAPES)[number]): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': PROCESS.serviceName, ...PROCESS.processTags }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('opentracing-async-instrumentation', '0.1.0');
  const parent = trace.setSpanContext(otelContext.active(), {
    traceId: '0000123400005678' + '00009abc0000def0', spanId: '0000111100002222', traceFlags: 1, isRemote: true,
  });
  for (let i = 0; i < SPANS_PER_REQUEST; i++) {
    const span = tracer.startSpan(shape.name, { kind: shape.kind }, parent);
    for (const key in shape.attributes) span.setAttribute(key, shape.attributes[key]!);
    span.end();
  }
  return exporter.getFinishedSpans();
}

async function rows(): Promise<(string | number)[][]> {
  const out: (string | number)[][] = [];
  const encoder = new OtlpProtoEncoder(PROCESS);
  const options = { batch: 5, samples: 31, warmup: 10 };
  for (const shape of SHAPES) {
    const ours = ourSpans(shape);
    const theirs = otelSpans(shape);
    const oursProtoBytes = encoder.encode(ours).length;
    const theirProtoBytes = ProtobufTraceSerializer.serializeRequest(theirs)!.length;
    const oursJsonBytes = Buffer.byteLength(encodeOtlpJson(ours, PROCESS));
    const theirJsonBytes = JsonTraceSerializer.serializeRequest(theirs)!.length;
    const oursProto = (await measure(() => encoder.encode(ours), options)) / SPANS_PER_REQUEST;
    const theirProto = (await measure(() => ProtobufTraceSerializer.serializeRequest(theirs), options)) / SPANS_PER_REQUEST;
    const oursJson = (await measure(() => Buffer.from(encodeOtlpJson(ours, PROCESS)), options)) / SPANS_PER_REQUEST;
    const theirJson = (await measure(() => JsonTraceSerializer.serializeRequest(theirs), options)) / SPANS_PER_REQUEST;
    const mbps = (bytes: number, nsPerSpan: number): number => (bytes / SPANS_PER_REQUEST / nsPerSpan) * 1e3;
    const perSpan = (bytes: number): number => Math.round(bytes / SPANS_PER_REQUEST);
    out.push([`${shape.label}, protobuf`, oursProto, theirProto, Math.round(1e9 / oursProto), Math.round(1e9 / theirProto),
      mbps(oursProtoBytes, oursProto), mbps(theirProtoBytes, theirProto), `${perSpan(oursProtoBytes)} / ${perSpan(theirProtoBytes)}`, theirProto / oursProto]);
    out.push([`${shape.label}, JSON`, oursJson, theirJson, Math.round(1e9 / oursJson), Math.round(1e9 / theirJson),
      mbps(oursJsonBytes, oursJson), mbps(theirJsonBytes, theirJson), `${perSpan(oursJsonBytes)} / ${perSpan(theirJsonBytes)}`, theirJson / oursJson]);
  }
  return out;
}

async function main(): Promise<void> {
  console.log(table(`OTLP encoding per span, ns (${SPANS_PER_REQUEST} spans per request, median of 31 samples; ${env()})`,
    ['span, format', 'ours ns', 'otlp-transformer ns', 'ours spans/s', 'otlp-transformer spans/s', 'ours MB/s', 'otlp-transformer MB/s',
      'bytes per span ours / otlp-transformer', 'otlp-transformer / ours'],
    await rows()));
}

void main();
