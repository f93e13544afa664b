// Random, truncated and bit-flipped input of every accepted format: a decoder either returns spans
// or throws MalformedInput (never another error, never a hang), whatever it returns can be stored,
// searched and drawn, and a live viewer fed the same garbage over UDP and HTTP keeps answering.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { decodeAgentDatagram, decodeBinaryBatch } from '../../../src/viewer/jaeger-thrift.js';
import { MalformedInput } from '../../../src/viewer/model.js';
import type { ViewerSpan } from '../../../src/viewer/model.js';
import { decodeOtlpJson } from '../../../src/viewer/otlp-json.js';
import { decodeOtlpProto } from '../../../src/viewer/otlp-proto.js';
import { dependencies, jaegerTrace, operationStats, searchTraces } from '../../../src/viewer/query.js';
import { TraceStore } from '../../../src/viewer/store.js';
import { traceBody } from '../../../src/viewer/ui/trace-page.js';
import { searchBody } from '../../../src/viewer/ui/search-page.js';
import { makeSpan, traceId } from './span-fixture.js';
import { apiGet, startTestViewer } from '../../support/viewer.js';
import { wireSamples } from './wire-samples.js';

const DECODE: Record<string, (bytes: Buffer) => ViewerSpan[]> = {
  compact: decodeAgentDatagram,
  'binary-agent': decodeAgentDatagram,
  collector: decodeBinaryBatch,
  'otlp-proto': decodeOtlpProto,
  'otlp-json': decodeOtlpJson,
};

/** xorshift32: the same cases on every run, so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function* mutations(sample: Buffer, random: () => number): Generator<Buffer> {
  for (let length = 0; length < sample.length; length++) yield sample.subarray(0, length);
  for (let i = 0; i < 3000; i++) {
    const copy = Buffer.from(sample);
    const flips = 1 + Math.floor(random() * 4);
    for (let f = 0; f < flips; f++) {
      const at = Math.floor(random() * copy.length);
      copy[at] = copy[at]! ^ (1 << Math.floor(random() * 8));
    }
    yield copy;
  }
  for (let i = 0; i < 300; i++) {
    const copy = Buffer.from(sample);
    const at = Math.floor(random() * copy.length);
    copy[at] = [0x00, 0xff, 0x7f, 0x80, 0x0f, 0x19][i % 6]!; // lengths and sizes pushed to extremes
    yield copy;
  }
  for (let i = 0; i < 500; i++) {
    const noise = Buffer.alloc(Math.floor(random() * 600));
    for (let j = 0; j < noise.length; j++) noise[j] = Math.floor(random() * 256);
    if (i % 2 === 0 && noise.length > 2) sample.copy(noise, 0, 0, Math.min(sample.length, Math.floor(noise.length / 2)));
    yield noise;
  }
}

describe('decoders under fuzzing', () => {
  for (const sample of wireSamples()) {
    it(`${sample.format}: only MalformedInput, and what decodes can be stored and drawn`, () => {
      const decode = DECODE[sample.format]!;
      const random = rng(0x9e3779b9 ^ sample.bytes.length);
      const store = new TraceStore({ maxSpans: 5000, maxBytes: 64 * 1024 * 1024 });
      let decoded = 0;
      let refused = 0;
      const started = performance.now();
      for (const input of mutations(sample.bytes, random)) {
        try {
          const spans = decode(input);
          decoded++;
          for (const span of spans) {
            assert.equal(typeof span.traceID, 'string');
            assert.equal(typeof span.spanID, 'string');
            assert.ok(Array.isArray(span.tags) && Array.isArray(span.logs) && Array.isArray(span.references));
          }
          store.add(spans);
        } catch (error) {
          if (!(error instanceof MalformedInput)) assert.fail(`${sample.format}: ${String(error)} for ${input.toString('hex').slice(0, 200)}`);
          refused++;
        }
      }
      assert.ok(refused > sample.bytes.length, `truncations are refused (${refused})`);
      assert.ok(decoded > 0, 'some bit flips still decode (a flipped tag value)');
      // what a flipped timestamp can hold: far past, far future, not a time at all
      for (const startTime of [1e30, -1e25, Number.MAX_SAFE_INTEGER, 0]) store.add([makeSpan({ traceID: traceId(startTime === 0 ? 7 : 8), startTime, duration: startTime === 0 ? 0 : 1e20 })]);
      searchBody({ service: '', operation: '', tags: '', minDuration: '', maxDuration: '', lookback: 'all', limit: '20', errorsOnly: false }, ['orders'], [], [...store.all()], Date.now() * 1000);
      for (const trace of store.all()) {
        jaegerTrace(trace);
        traceBody(trace);
      }
      searchTraces(store, { service: 'orders', tags: { 'http.method': 'GET' } });
      dependencies(store);
      operationStats(store);
      assert.ok(performance.now() - started < 20_000, 'bounded work');
    });
  }

  it('a live viewer counts garbage on every port and keeps ingesting good input', async () => {
    const viewer = await startTestViewer();
    try {
      const samples = wireSamples();
      const random = rng(12345);
      const socket = dgram.createSocket('udp4');
      let sent = 0;
      for (const sample of samples.slice(0, 2)) {
        const port = sample.format === 'compact' ? viewer.ports.udpPort : viewer.ports.udpBinaryPort;
        let n = 0;
        for (const input of mutations(sample.bytes, random)) {
          if (n++ % 25 !== 0 || input.length === 0) continue;
          await new Promise<void>((resolve) => socket.send(input, port, '127.0.0.1', () => resolve()));
          sent++;
        }
      }
      const posts: Promise<Response>[] = [];
      for (const sample of samples.slice(2)) {
        const url = sample.format === 'collector' ? `http://127.0.0.1:${viewer.ports.collectorPort}/api/traces` : `http://127.0.0.1:${viewer.ports.otlpPort}/v1/traces`;
        const type = sample.format === 'otlp-json' ? 'application/json' : sample.format === 'otlp-proto' ? 'application/x-protobuf' : 'application/x-thrift';
        let n = 0;
        for (const input of mutations(sample.bytes, random)) {
          if (n++ % 60 !== 0) continue;
          posts.push(fetch(url, { method: 'POST', headers: { 'content-type': type }, body: input }));
        }
      }
      const statuses = (await Promise.all(posts)).map((r) => r.status);
      assert.ok(statuses.every((s) => s === 200 || s === 202 || s === 400), `only 200/202/400: ${[...new Set(statuses)].join(',')}`);
      assert.ok(statuses.includes(400));
      // good input after the garbage still arrives
      socket.send(samples[0]!.bytes, viewer.ports.udpPort, '127.0.0.1');
      const deadline = Date.now() + 5000;
      let stats = await apiGet<{ malformed: number; receivers: Record<string, { malformed: number; spans: number }> }>(viewer, '/api/stats');
      while ((stats.receivers['udpCompact']!.malformed + stats.receivers['udpBinary']!.malformed < sent * 0.5 || stats.receivers['udpCompact']!.spans === 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        stats = await apiGet(viewer, '/api/stats');
      }
      socket.close();
      assert.ok(stats.receivers['udpCompact']!.malformed > 0 && stats.receivers['udpBinary']!.malformed > 0);
      assert.ok(stats.receivers['collector']!.malformed > 0 && stats.receivers['otlp']!.malformed > 0);
      assert.ok(stats.receivers['udpCompact']!.spans > 0, 'good datagrams still decode');
      assert.equal((await fetch(viewer.uiUrl('/search'))).status, 200);
    } finally {
      await viewer.close();
    }
  });
});
