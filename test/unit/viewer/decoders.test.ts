// Every decoder reads what the project's encoders write, value for value: 64-bit ids, negative and
// 2^60 integers, doubles, booleans, bytes, Unicode, logs, the error mark and references.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAgentDatagram, decodeBinaryBatch } from '../../../src/viewer/jaeger-thrift.js';
import { decodeOtlpJson } from '../../../src/viewer/otlp-json.js';
import { decodeOtlpProto } from '../../../src/viewer/otlp-proto.js';
import type { ViewerSpan } from '../../../src/viewer/model.js';
import { richSpans } from '../../peers/jaeger-fixture.js';
import { PAYLOAD } from '../../peers/jaeger-fixture.js';
import { wireSamples } from './wire-samples.js';

const DECODE = {
  compact: decodeAgentDatagram,
  'binary-agent': decodeAgentDatagram,
  collector: decodeBinaryBatch,
  'otlp-proto': decodeOtlpProto,
  'otlp-json': decodeOtlpJson,
};

const value = (span: ViewerSpan, key: string): unknown => span.tags.find((t) => t.key === key)?.value;

describe('decoders read what our encoders write', () => {
  const sent = richSpans();
  for (const sample of wireSamples(sent)) {
    it(sample.format, () => {
      const spans = DECODE[sample.format](sample.bytes);
      assert.equal(spans.length, sent.length);
      const sentById = new Map(sent.map((span) => [span.context().toSpanId(), span]));
      for (const span of spans) {
        const original = sentById.get(span.spanID)!;
        const ctx = original.context();
        assert.equal(span.traceID, ctx.toTraceId());
        assert.equal(span.spanID, ctx.toSpanId());
        assert.equal(span.operationName, original.operationName);
        assert.equal(span.startTime, Math.floor(original.startTime * 1000));
        assert.equal(span.process.serviceName, 'orders');
        assert.equal(span.process.tags.find((t) => t.key === 'build')?.value, 42);
        assert.equal(span.process.tags.find((t) => t.key === 'canary')?.value, true);
      }
      const named = (name: string): ViewerSpan => spans.find((span) => span.operationName === name)!;
      const [root, child, follower] = [named('GET /orders/:id'), named('SELECT orders'), named('send receipt')];
      assert.equal(value(root, 'span.kind'), 'server');
      assert.equal(value(root, 'http.status_code'), 200);
      assert.equal(value(root, 'cache.hit'), false);
      assert.equal(value(root, 'ratio'), 0.25);
      assert.equal(value(root, 'delta'), -42);
      assert.equal(value(root, 'big'), '1152921504606846976');
      assert.equal(value(root, 'payload'), PAYLOAD.toString('base64'));
      assert.equal(value(root, 'unicode'), 'naïve ☃ 日本');
      assert.equal(root.duration, 12500);
      assert.equal(child.parentSpanID, root.spanID);
      assert.deepEqual(child.references, [{ refType: 'CHILD_OF', traceID: root.traceID, spanID: root.spanID }]);
      assert.equal(value(child, 'error'), true);
      const query = child.logs.find((log) => log.fields.some((f) => f.value === 'query'))!;
      assert.equal(query.timestamp, Math.floor((child.startTime / 1000 + 0.75) * 1000));
      assert.deepEqual(query.fields.map((f) => [f.key, f.value]), [['event', 'query'], ['rows', 3], ['fast', true]]);
      // OTLP has one parent and no reference types: the primary FOLLOWS_FROM becomes the parent.
      const followType = sample.format.startsWith('otlp') ? 'CHILD_OF' : 'FOLLOWS_FROM';
      assert.deepEqual(follower.references.map((r) => [r.refType, r.spanID]), [[followType, root.spanID]]);
      assert.equal(follower.parentSpanID, root.spanID, 'placed under the span it follows');
    });
  }
});
