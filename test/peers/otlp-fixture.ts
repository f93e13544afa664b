// One set of span specifications, built twice: as spans of our tracer, and as equivalent
// OpenTelemetry ReadableSpans, so both OTLP serialisations can be compared field by field.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, HrTime, Link } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Reference } from 'opentracing';
import { initTracer } from '../../src/config/init.js';
import { InMemoryReporter } from '../../src/reporting/memory.js';
import { SpanContext } from '../../src/tracer/span-context.js';
import type { Span } from '../../src/tracer/span.js';
import type { OtlpProcess } from '../../src/encoding/otlp-common.js';
import { LIBRARY_NAME, VERSION } from '../../src/version.js';

export const T0 = 1_700_000_000_123.25; // ms; fractions chosen to be exact in binary
export const PROCESS: OtlpProcess = {
  serviceName: 'orders',
  processTags: { hostname: 'host-1', ip: '10.0.0.7', 'client-uuid': 'c0ffee', 'jaeger.version': 'x-1', build: 42, canary: true },
};

/** A remote parent (as extracted from traceparent/tracestate) and an unrelated trace for links. */
export const REMOTE_PARENT = new SpanContext([0x0af76519, 0x16cd43dd, -0x7b3d5a00, 0x0102f0f1], 0x00f067aa, 0x0ba902b7, 0, 0, 1, null, 'vendor=abc,other=1');
export const OTHER_TRACE = new SpanContext([0x11111111, 0x22222222, 0x33333333, 0x44444444], 0x55555555, 0x66666666, 0, 0, 1, null);

interface LogSpec { at: number; fields: Record<string, unknown> }
interface SpanSpec {
  name: string;
  /** Our `span.kind` tag (or none) and the OTel SpanKind it stands for. */
  kindTag?: string;
  otelKind: SpanKind;
  start: number;
  end: number;
  attributes: Attributes;
  error?: string;
  logs?: LogSpec[];
}

export const ROOT: SpanSpec = {
  name: 'GET /orders/:id',
  kindTag: 'server',
  otelKind: SpanKind.SERVER,
  start: T0,
  end: T0 + 12.5,
  attributes: {
    'http.method': 'GET', 'http.status_code': 500, 'sampling.ratio': 0.25, 'cache.hit': false,
    delta: -42, big: 2 ** 60, 'unicode.value': 'naïve ☃ 日本', list: ['a', 1, true] as unknown as string[], // mixed on purpose: OTel's types forbid it, its encoder accepts it
  },
  error: 'database unreachable',
  logs: [
    { at: T0 + 1, fields: { event: 'error', message: 'database unreachable', 'error.kind': 'Error' } },
    { at: T0 + 2.5, fields: { message: 'retrying', attempt: 2 } },
  ],
};
export const CHILD: SpanSpec = {
  name: 'SELECT', kindTag: 'client', otelKind: SpanKind.CLIENT, start: T0 + 2.5, end: T0 + 7.75,
  attributes: { 'db.type': 'sql', 'peer.port': 3306 },
};
export const PRODUCER: SpanSpec = {
  name: 'enqueue', kindTag: 'producer', otelKind: SpanKind.PRODUCER, start: T0 + 8, end: T0 + 9,
  attributes: { 'message_bus.destination': 'jobs' },
};
export const CONSUMER: SpanSpec = {
  name: 'consume', kindTag: 'consumer', otelKind: SpanKind.CONSUMER, start: T0 + 20, end: T0 + 21.5,
  attributes: { payload: Buffer.from([1, 2, 3, 255]) as unknown as string },
};
export const UNMAPPED_KIND: SpanSpec = {
  name: 'local work', kindTag: 'internal-ish', otelKind: SpanKind.INTERNAL, start: T0 + 30, end: T0 + 30,
  attributes: { 'span.kind': 'internal-ish' },
};

function startOurs(tracer: ReturnType<typeof initTracer>, spec: SpanSpec, options: Record<string, unknown>): Span {
  const tags: Record<string, unknown> = { ...spec.attributes };
  if (spec.kindTag !== undefined) tags['span.kind'] = spec.kindTag;
  if (spec.error !== undefined) tags['error'] = true;
  const span = tracer.startSpan(spec.name, { ...options, startTime: spec.start, tags });
  for (const log of spec.logs ?? []) span.log(log.fields, log.at);
  span.finish(spec.end);
  return span;
}

/** Our spans: root → child, root → producer (follows_from an unrelated trace), remote → consumer. */
export function buildOurSpans(): Span[] {
  const reporter = new InMemoryReporter();
  const tracer = initTracer({ serviceName: PROCESS.serviceName, global: false }, { reporter });
  const root = tracer.startSpan(ROOT.name, { startTime: ROOT.start });
  startOurs(tracer, CHILD, { childOf: root });
  startOurs(tracer, PRODUCER, { references: [new Reference('child_of', root), new Reference('follows_from', OTHER_TRACE)] });
  startOurs(tracer, CONSUMER, { childOf: REMOTE_PARENT });
  startOurs(tracer, UNMAPPED_KIND, { childOf: REMOTE_PARENT });
  // The root is finished last (as a server span would be) but built from its spec like the others.
  for (const [key, value] of Object.entries({ ...ROOT.attributes, 'span.kind': ROOT.kindTag, error: true })) root.setTag(key, value);
  for (const log of ROOT.logs!) root.log(log.fields, log.at);
  root.finish(ROOT.end);
  return [...reporter.finishedSpans()];
}

function hrTime(ms: number): HrTime {
  const secs = Math.floor(ms / 1000);
  return [secs, Math.round((ms - secs * 1000) * 1e6)];
}

/** The OpenTelemetry equivalent of one of our spans, from the spec it was built from. */
export function toReadableSpan(ours: Span, spec: SpanSpec): ReadableSpan {
  const ctx = ours.context();
  const parent = ctx.parentSpanId();
  const links: Link[] = (ours.references ?? [])
    .filter((ref) => ref.type === 'follows_from')
    .map((ref) => ({ context: { traceId: ref.context.toTraceId(), spanId: ref.context.toSpanId(), traceFlags: 1 }, attributes: { 'opentracing.ref_type': 'follows_from' } }));
  return {
    name: spec.name,
    kind: spec.otelKind,
    spanContext: () => ({
      traceId: ctx.toTraceId(), spanId: ctx.toSpanId(), traceFlags: 1,
      ...(ctx.traceState !== null ? { traceState: new TraceState(ctx.traceState) } : {}),
    }),
    ...(parent !== null ? { parentSpanContext: { traceId: ctx.toTraceId(), spanId: parent, traceFlags: 1 } } : {}),
    startTime: hrTime(spec.start),
    endTime: hrTime(spec.end),
    status: spec.error !== undefined ? { code: SpanStatusCode.ERROR, message: spec.error } : { code: SpanStatusCode.UNSET },
    attributes: spec.attributes,
    links,
    events: (spec.logs ?? []).map((log) => {
      const { event, ...rest } = log.fields;
      return { name: typeof event === 'string' ? event : 'log', time: hrTime(log.at), attributes: rest as Attributes };
    }),
    duration: hrTime(spec.end - spec.start),
    ended: true,
    resource: RESOURCE,
    instrumentationScope: { name: LIBRARY_NAME, version: VERSION },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

const RESOURCE = resourceFromAttributes({
  'service.name': PROCESS.serviceName,
  ...PROCESS.processTags,
  'telemetry.sdk.name': LIBRARY_NAME,
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.version': VERSION,
});

export const SPECS_BY_NAME: Readonly<Record<string, SpanSpec>> = Object.fromEntries(
  [ROOT, CHILD, PRODUCER, CONSUMER, UNMAPPED_KIND].map((spec) => [spec.name, spec]),
);
