import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OtlpProtoEncoder } from '../../src/encoding/otlp-proto.js';
import { LIBRARY_NAME, VERSION } from '../../src/version.js';
import { decodeTraceRequest } from './otlp-schema.js';
import type { DecodedKeyValue, DecodedRequest, DecodedSpan } from './otlp-schema.js';
import { CONSUMER, OTHER_TRACE, PROCESS, REMOTE_PARENT, SPECS_BY_NAME, buildOurSpans, toReadableSpan } from './otlp-fixture.js';

const spans = buildOurSpans();
const ours = decodeTraceRequest(new OtlpProtoEncoder(PROCESS).encode(spans));
const decodedSpans = ours.resourceSpans[0]!.scopeSpans[0]!.spans;
const byName = (name: string): DecodedSpan => {
  const span = decodedSpans.find((s) => s.name === name);
  assert.ok(span, `span ${name} decoded`);
  return span;
};
const attributes = (list: DecodedKeyValue[] | undefined): Record<string, unknown> =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, value]));

describe('OTLP protobuf, decoded by protobufjs with the opentelemetry-proto schema', () => {
  test('one ResourceSpans with the service, process tags and SDK identity as attributes', () => {
    assert.equal(ours.resourceSpans.length, 1);
    assert.deepEqual(attributes(ours.resourceSpans[0]!.resource.attributes), {
      'service.name': { stringValue: 'orders' },
      hostname: { stringValue: 'host-1' },
      ip: { stringValue: '10.0.0.7' },
      'client-uuid': { stringValue: 'c0ffee' },
      'jaeger.version': { stringValue: 'x-1' },
      build: { intValue: '42' },
      canary: { boolValue: true },
      'telemetry.sdk.name': { stringValue: LIBRARY_NAME },
      'telemetry.sdk.language': { stringValue: 'nodejs' },
      'telemetry.sdk.version': { stringValue: VERSION },
    });
  });

  test('the scope is this library, and every span is in it', () => {
    const scopeSpans = ours.resourceSpans[0]!.scopeSpans;
    assert.equal(scopeSpans.length, 1);
    assert.deepEqual(scopeSpans[0]!.scope, { name: LIBRARY_NAME, version: VERSION });
    assert.equal(decodedSpans.length, spans.length);
  });

  test('ids: 128-bit trace id, span id, parent span id, trace state, sampled flag', () => {
    for (const span of spans) {
      const decoded = byName(span.operationName);
      const ctx = span.context();
      assert.equal(decoded.traceId, ctx.toTraceId());
      assert.equal(decoded.traceId.length, 32);
      assert.equal(decoded.spanId, ctx.toSpanId());
      assert.equal(decoded.parentSpanId, ctx.parentSpanId() ?? undefined);
      assert.equal(decoded.flags, 1);
    }
    const consumer = byName(CONSUMER.name);
    assert.equal(consumer.traceId, '0af7651916cd43dd84c2a6000102f0f1');
    assert.equal(consumer.parentSpanId, '00f067aa0ba902b7');
    assert.equal(consumer.traceState, 'vendor=abc,other=1');
    assert.equal(byName('GET /orders/:id').parentSpanId, undefined);
    assert.equal(REMOTE_PARENT.toTraceId(), consumer.traceId);
  });

  test('kind from span.kind; unmapped values stay an attribute and the span is INTERNAL', () => {
    assert.deepEqual(
      Object.fromEntries(decodedSpans.map((s) => [s.name, s.kind])),
      { 'GET /orders/:id': 2, SELECT: 3, enqueue: 4, consume: 5, 'local work': 1 },
    );
    assert.deepEqual(attributes(byName('local work').attributes)['span.kind'], { stringValue: 'internal-ish' });
    assert.equal(attributes(byName('SELECT').attributes)['span.kind'], undefined);
  });

  test('nanosecond start and end times as fixed64', () => {
    const root = byName('GET /orders/:id');
    assert.equal(root.startTimeUnixNano, '1700000000123250000');
    assert.equal(root.endTimeUnixNano, '1700000000135750000');
    assert.equal(byName('SELECT').startTimeUnixNano, '1700000000125750000');
    assert.equal(byName('SELECT').endTimeUnixNano, '1700000000131000000');
    assert.equal(byName('local work').endTimeUnixNano, byName('local work').startTimeUnixNano);
  });

  test('tags as typed attributes: string, bool, int (negative, beyond 2^53), double, bytes, array', () => {
    const root = attributes(byName('GET /orders/:id').attributes);
    assert.deepEqual(root, {
      'sampler.type': { stringValue: 'const' },
      'sampler.param': { boolValue: true },
      'http.method': { stringValue: 'GET' },
      'http.status_code': { intValue: '500' },
      'sampling.ratio': { doubleValue: 0.25 },
      'cache.hit': { boolValue: false },
      delta: { intValue: '-42' },
      big: { intValue: '1152921504606846976' },
      'unicode.value': { stringValue: 'naïve ☃ 日本' },
      list: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { boolValue: true }] } },
    });
    assert.deepEqual(attributes(byName('consume').attributes), { payload: { bytesValue: Buffer.from([1, 2, 3, 255]).toString('base64') } });
  });

  test('error=true becomes status ERROR with the error log message, not an attribute', () => {
    const root = byName('GET /orders/:id');
    assert.deepEqual(root.status, { code: 2, message: 'database unreachable' });
    assert.equal(attributes(root.attributes)['error'], undefined);
    assert.equal(byName('SELECT').status, undefined);
  });

  test('logs as events named by their event field (else "log"), with nanosecond times', () => {
    const events = byName('GET /orders/:id').events!;
    assert.equal(events.length, 2);
    assert.equal(events[0]!.name, 'error');
    assert.equal(events[0]!.timeUnixNano, '1700000000124250000');
    assert.deepEqual(attributes(events[0]!.attributes), { message: { stringValue: 'database unreachable' }, 'error.kind': { stringValue: 'Error' } });
    assert.equal(events[1]!.name, 'log');
    assert.equal(events[1]!.timeUnixNano, '1700000000125750000');
    assert.deepEqual(attributes(events[1]!.attributes), { message: { stringValue: 'retrying' }, attempt: { intValue: '2' } });
  });

  test('the primary parent is parentSpanId; other references are links with their type', () => {
    const producer = byName('enqueue');
    assert.equal(producer.parentSpanId, byName('GET /orders/:id').spanId);
    assert.equal(producer.links!.length, 1);
    const link = producer.links![0]!;
    assert.equal(link.traceId, OTHER_TRACE.toTraceId());
    assert.equal(link.spanId, OTHER_TRACE.toSpanId());
    assert.deepEqual(attributes(link.attributes), { 'opentracing.ref_type': { stringValue: 'follows_from' } });
    assert.equal(byName('SELECT').links, undefined);
  });
});

describe('the same spans serialised by @opentelemetry/otlp-transformer', () => {
  const readable = spans.map((span) => {
    const spec = SPECS_BY_NAME[span.operationName]!;
    const samplerTags = span.getTag('sampler.type') === undefined ? {} : { 'sampler.type': 'const', 'sampler.param': true };
    return toReadableSpan(span, { ...spec, attributes: { ...samplerTags, ...spec.attributes } });
  });
  const theirs: DecodedRequest = decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(readable)!);
  // OTel writes one ScopeSpans per span object's scope; gather them all.
  const theirSpans = theirs.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));

  // Differences that carry no meaning: OTel always writes zero counters and an UNSET status, and
  // sets the span flags' "has is_remote" bit (0x100), which we cannot know and leave clear.
  function normalise(span: DecodedSpan): DecodedSpan {
    const { droppedAttributesCount: _a, flags, status, links, events, ...rest } = span as DecodedSpan & Record<string, unknown>;
    const out: Record<string, unknown> = { ...rest, flags: (flags ?? 0) & 0xff };
    for (const key of ['droppedEventsCount', 'droppedLinksCount']) delete out[key];
    if (status !== undefined && status.code !== undefined && status.code !== 0) out['status'] = status;
    if (links !== undefined && links.length > 0) {
      out['links'] = links.map(({ flags: linkFlags, ...link }) => ({ ...link, flags: (linkFlags ?? 0) & 0xff }))
        .map((link) => { delete (link as Record<string, unknown>)['droppedAttributesCount']; return link; });
    }
    if (events !== undefined && events.length > 0) {
      out['events'] = events.map((event) => { const copy: Record<string, unknown> = { ...event }; delete copy['droppedAttributesCount']; return copy; });
    }
    return out as unknown as DecodedSpan;
  }

  test('the schema decodes OpenTelemetry\'s own bytes (so it is the real OTLP schema)', () => {
    assert.equal(theirSpans.length, spans.length);
    for (const scopeSpans of theirs.resourceSpans[0]!.scopeSpans) assert.deepEqual(scopeSpans.scope, { name: LIBRARY_NAME, version: VERSION });
  });

  test('resource attributes match', () => {
    assert.deepEqual(ours.resourceSpans[0]!.resource.attributes, theirs.resourceSpans[0]!.resource.attributes);
  });

  test('every span decodes to the same fields as OpenTelemetry\'s serialisation', () => {
    for (const span of decodedSpans) {
      const theirSpan = theirSpans.find((s) => s.spanId === span.spanId);
      assert.ok(theirSpan, `OTel has span ${span.name}`);
      assert.deepEqual(normalise(span), normalise(theirSpan), span.name);
    }
  });
});
