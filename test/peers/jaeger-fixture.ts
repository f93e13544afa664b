// Spans of our tracer with every field a Jaeger span can carry, and the values an independent
// decoder must find for them (ids computed from the hex strings, not from our int32 words).
import assert from 'node:assert/strict';
import { followsFrom } from 'opentracing';
import { initTracer } from '../../src/config/init.js';
import { defaultProcessTags } from '../../src/config/resolve.js';
import type { TracingConfig } from '../../src/config/options.js';
import type { Span } from '../../src/tracer/span.js';
import type { ExporterContext } from '../../src/reporting/exporter.js';
import type { DecodedBatch, DecodedSpan, DecodedTag } from './jaeger-thrift-decode.js';

export const T0 = 1_700_000_000_123.25; // ms, exact in binary
export const PAYLOAD = Buffer.from([0, 1, 254, 255, 7]);

/** A tracer whose reporter just keeps the finished Span objects. */
export function collectingTracer(config: TracingConfig = {}): { tracer: ReturnType<typeof initTracer>; spans: Span[] } {
  const spans: Span[] = [];
  const tracer = initTracer(
    { serviceName: 'orders', global: false, sampler: { type: 'const', param: 1 }, ...config },
    { reporter: { report: (span) => spans.push(span), async flush() {}, async close() {} } },
  );
  return { tracer, spans };
}

export function exporterContext(): ExporterContext {
  return {
    serviceName: 'orders',
    processTags: { ...defaultProcessTags(), build: 42, canary: true },
    logger: { error() {}, warn() {} },
  };
}

/** A server span with tags of every type, a child with logs, and a FOLLOWS_FROM span. */
export function richSpans(): Span[] {
  const { tracer, spans } = collectingTracer();
  const root = tracer.startSpan('GET /orders/:id', {
    startTime: T0,
    tags: {
      'span.kind': 'server', 'http.method': 'GET', 'http.status_code': 200, 'cache.hit': false,
      ratio: 0.25, delta: -42, big: 2 ** 60, payload: PAYLOAD, unicode: 'naïve ☃ 日本', details: { id: 7 },
    },
  });
  const child = tracer.startSpan('SELECT orders', { childOf: root, startTime: T0 + 1.5 });
  child.log({ event: 'query', rows: 3, fast: true }, T0 + 2.25);
  child.recordError(new TypeError('boom'));
  child.finish(T0 + 4);
  const follower = tracer.startSpan('send receipt', { references: [followsFrom(root.context())], startTime: T0 + 10 });
  follower.finish(T0 + 11);
  root.finish(T0 + 12.5);
  return spans;
}

const i64 = (hex: string): bigint => BigInt.asIntN(64, BigInt(`0x${hex}`));

export function tag(tags: readonly DecodedTag[] | undefined, key: string): DecodedTag {
  const found = tags?.find((t) => t.key === key);
  assert.ok(found, `tag ${key}`);
  return found;
}

/** The required span fields as Jaeger must see them. */
export function assertSpanHeader(decoded: DecodedSpan, span: Span): void {
  const context = span.context();
  const traceId = context.toTraceId();
  assert.equal(decoded.traceIdHigh, i64(traceId.slice(0, 16)), 'traceIdHigh');
  assert.equal(decoded.traceIdLow, i64(traceId.slice(16)), 'traceIdLow');
  assert.equal(decoded.spanId, i64(context.toSpanId()), 'spanId');
  assert.equal(decoded.parentSpanId, i64(context.parentSpanId() ?? '0'), 'parentSpanId');
  assert.equal(decoded.operationName, span.operationName);
  assert.equal(decoded.flags, 1, 'sampled flag');
  assert.equal(decoded.startTime, BigInt(Math.round(span.startTime * 1000)), 'startTime µs');
  assert.equal(decoded.duration, BigInt(Math.round(span.duration * 1000)), 'duration µs');
}

/** Every field of `richSpans()` after a round trip through an independent decoder. */
export function assertRichBatch(batch: DecodedBatch, sent: readonly Span[], context: ExporterContext): void {
  assert.equal(batch.process.serviceName, 'orders');
  for (const [key, value] of Object.entries(context.processTags)) {
    const t = tag(batch.process.tags, key);
    if (typeof value === 'string') assert.deepEqual([t.vType, t.vStr], [0, value], key);
    if (typeof value === 'number') assert.deepEqual([t.vType, t.vLong], [3, BigInt(value)], key);
    if (typeof value === 'boolean') assert.deepEqual([t.vType, t.vBool], [2, value], key);
  }
  for (const key of ['hostname', 'client-uuid', 'jaeger.version']) tag(batch.process.tags, key);
  assert.equal(batch.spans.length, sent.length);
  const [child, follower, root] = sent as [Span, Span, Span];
  const byName = new Map(batch.spans.map((s) => [s.operationName, s]));
  const decodedRoot = byName.get('GET /orders/:id')!;
  const decodedChild = byName.get('SELECT orders')!;
  const decodedFollower = byName.get('send receipt')!;
  assertSpanHeader(decodedRoot, root);
  assertSpanHeader(decodedChild, child);
  assertSpanHeader(decodedFollower, follower);
  assert.equal(decodedRoot.startTime, 1_700_000_000_123_250n);
  assert.equal(decodedRoot.duration, 12_500n);

  assert.deepEqual(tag(decodedRoot.tags, 'span.kind'), { key: 'span.kind', vType: 0, vStr: 'server' });
  assert.deepEqual(tag(decodedRoot.tags, 'http.status_code'), { key: 'http.status_code', vType: 3, vLong: 200n });
  assert.deepEqual(tag(decodedRoot.tags, 'cache.hit'), { key: 'cache.hit', vType: 2, vBool: false });
  assert.deepEqual(tag(decodedRoot.tags, 'ratio'), { key: 'ratio', vType: 1, vDouble: 0.25 });
  assert.deepEqual(tag(decodedRoot.tags, 'delta'), { key: 'delta', vType: 3, vLong: -42n });
  assert.deepEqual(tag(decodedRoot.tags, 'big'), { key: 'big', vType: 3, vLong: 2n ** 60n });
  assert.deepEqual(tag(decodedRoot.tags, 'payload'), { key: 'payload', vType: 4, vBinary: PAYLOAD });
  assert.deepEqual(tag(decodedRoot.tags, 'unicode'), { key: 'unicode', vType: 0, vStr: 'naïve ☃ 日本' });
  assert.deepEqual(tag(decodedRoot.tags, 'details'), { key: 'details', vType: 0, vStr: '{"id":7}' });
  assert.equal(decodedRoot.logs, undefined);
  assert.equal(decodedRoot.references, undefined, 'a root has no references');

  // The child's parent travels in parentSpanId (Jaeger adds the CHILD_OF reference itself).
  assert.equal(decodedChild.references, undefined);
  assert.deepEqual(tag(decodedChild.tags, 'error'), { key: 'error', vType: 2, vBool: true });
  assert.equal(decodedChild.logs?.length, 2);
  const [query, error] = decodedChild.logs!;
  assert.equal(query!.timestamp, 1_700_000_000_125_500n);
  assert.deepEqual(query!.fields, [
    { key: 'event', vType: 0, vStr: 'query' },
    { key: 'rows', vType: 3, vLong: 3n },
    { key: 'fast', vType: 2, vBool: true },
  ]);
  assert.equal(error!.timestamp, BigInt(Math.round(child.logs![1]!.timestamp * 1000)));
  assert.deepEqual(tag(error!.fields, 'error.object'), { key: 'error.object', vType: 0, vStr: 'TypeError: boom' });
  assert.deepEqual(tag(error!.fields, 'message'), { key: 'message', vType: 0, vStr: 'boom' });
  assert.match(tag(error!.fields, 'stack').vStr!, /^TypeError: boom\n\s+at /);

  const rootId = root.context();
  assert.deepEqual(decodedFollower.references, [{
    refType: 1,
    traceIdLow: i64(rootId.toTraceId().slice(16)),
    traceIdHigh: i64(rootId.toTraceId().slice(0, 16)),
    spanId: i64(rootId.toSpanId()),
  }]);
  assert.equal(decodedFollower.parentSpanId, i64(rootId.toSpanId()), 'the followed span is also the parent');
}
