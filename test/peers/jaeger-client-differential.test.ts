// The same small programs, written against jaeger-client's public API, run once with
// require('jaeger-client') and once with this package as a user loads it (the built dist/,
// through the package name). What each observes must be equal: headers written, contexts
// extracted, sampling decisions, spans a UDP agent receives (decoded independently), metric
// values. Where the two differ on purpose, the program observes a form both share and the
// README's migration table says why (128-bit ids, zero-padded ids, extra W3C headers).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startUdpReceiver } from '../support/udp-receiver.js';
import type { UdpReceiver } from '../support/udp-receiver.js';
import { decodeBinaryBatch, decodeBinaryEmitBatch, decodeCompactEmitBatch } from './jaeger-thrift-decode.js';
import type { DecodedBatch, DecodedSpan, DecodedTag } from './jaeger-thrift-decode.js';

const require = createRequire(import.meta.url);
// Programs are plain JavaScript against either library: their API is the one under test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;
const theirs: Lib = require('jaeger-client');
const ours: Lib = require('opentracing-async-instrumentation');
const promClient = require('prom-client') as typeof import('prom-client');
// jaeger-client exports no sender; its users deep-import this one.
const JaegerUDPSender = require('jaeger-client/dist/src/reporters/udp_sender.js').default;

const quiet = { info: () => {}, error: () => {}, warn: () => {} };
const fixedTrace = '1a2b3c4d5e6f7a8b';
const fixedSpan = '7b8c9d0e1f2a3b4c';
const fixedParent = '3c4d5e6f7a8b9c0d';

let agent: UdpReceiver;
before(async () => {
  agent = await startUdpReceiver();
});
after(async () => {
  await agent.close();
});

function closed(tracer: { close(cb: () => void): unknown }): Promise<'called back'> {
  return new Promise((resolve) => tracer.close(() => resolve('called back')));
}

/** jaeger-client sends binary Thrift (first byte 0x80), our default exporter compact (0x82): decode either. */
function decode(datagram: Buffer): ReturnType<typeof decodeCompactEmitBatch> {
  return datagram[0] === 0x80 ? decodeBinaryEmitBatch(datagram) : decodeCompactEmitBatch(datagram);
}

function tagValue(tag: DecodedTag): unknown {
  switch (tag.vType) {
    case 0: return tag.vStr;
    case 1: return tag.vDouble;
    case 2: return tag.vBool;
    case 3: return Number(tag.vLong);
    default: return tag.vBinary?.toString('hex');
  }
}

function tagMap(tags: readonly DecodedTag[] | undefined): Record<string, unknown> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.key, tagValue(tag)]));
}

/** What the agent received, in a form independent of id width: parents by operation name. */
async function receivedSpans(count: number, serviceName: string): Promise<unknown> {
  const datagrams = await agent.waitUntil((all) => all.flatMap((d) => decode(d).batch.spans).length >= count);
  return observedBatches(datagrams.map((d) => decode(d).batch), serviceName);
}

function observedBatches(batches: DecodedBatch[], serviceName: string): unknown {
  const spans: DecodedSpan[] = batches.flatMap((batch) => batch.spans);
  const byId = new Map(spans.map((span) => [span.spanId, span.operationName]));
  return {
    services: [...new Set(batches.map((batch) => batch.process.serviceName))],
    processTagKeys: [...new Set(batches.flatMap((batch) => (batch.process.tags ?? []).map((tag) => tag.key)))].sort(),
    processTags: Object.fromEntries(Object.entries(tagMap(batches[0]!.process.tags)).filter(([key]) => key.startsWith('app.'))),
    spans: spans.map((span) => ({
      operationName: span.operationName,
      parent: span.parentSpanId === 0n ? null : byId.get(span.parentSpanId) ?? 'remote',
      sameTrace: spans.every((other) => other.traceIdLow === span.traceIdLow && other.traceIdHigh === span.traceIdHigh),
      flags: span.flags,
      tags: tagMap(span.tags),
      logs: (span.logs ?? []).map((log) => tagMap(log.fields)),
      durationOk: span.duration >= 0n,
    })).sort((a, b) => a.operationName.localeCompare(b.operationName)),
    serviceName,
  };
}

/** Runs `program` with each library and asserts both observed the same. */
async function same(program: (lib: Lib, name: 'jaeger-client' | 'ours') => Promise<unknown>): Promise<unknown> {
  agent.clear();
  const expected = await program(theirs, 'jaeger-client');
  agent.clear();
  const actual = await program(ours, 'ours');
  assert.deepStrictEqual(actual, expected);
  return actual;
}

describe('jaeger-client programs observe the same with this package', () => {
  test("the README's quick start: initTracer, a parent and child with tags and logs, close(callback), spans at the agent", async () => {
    const observed = await same(async (lib) => {
      const tracer = lib.initTracer({
        serviceName: 'readme-service',
        global: false,
        sampler: { type: 'const', param: 1 },
        reporter: { agentHost: agent.host, agentPort: agent.port, flushIntervalMs: 50, logSpans: false },
      }, { logger: quiet, tags: { 'app.version': '1.2.3' } });
      const parent = tracer.startSpan('http_request');
      parent.setTag(lib.opentracing.Tags.HTTP_METHOD, 'GET');
      parent.setTag('http.status_code', 200);
      const child = tracer.startSpan('db_query', { childOf: parent.context(), tags: { 'db.type': 'sql' } });
      child.log({ event: 'query', rows: 3 });
      child.finish();
      parent.finish();
      const callback = await closed(tracer);
      return { callback, received: await receivedSpans(2, 'readme-service') };
    });
    assert.equal((observed as { callback: string }).callback, 'called back');
  });

  test('initTracerFromEnv with JAEGER_* variables', async () => {
    const names = ['JAEGER_SERVICE_NAME', 'JAEGER_SAMPLER_TYPE', 'JAEGER_SAMPLER_PARAM', 'JAEGER_AGENT_HOST', 'JAEGER_AGENT_PORT', 'JAEGER_TAGS', 'JAEGER_REPORTER_FLUSH_INTERVAL'];
    const saved = names.map((name) => process.env[name]);
    Object.assign(process.env, {
      JAEGER_SERVICE_NAME: 'env-service', JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '1', JAEGER_AGENT_HOST: agent.host,
      JAEGER_AGENT_PORT: String(agent.port), JAEGER_TAGS: 'app.region=eu,app.tier=web', JAEGER_REPORTER_FLUSH_INTERVAL: '50',
    });
    try {
      await same(async (lib) => {
        const tracer = lib.initTracerFromEnv({ global: false }, { logger: quiet });
        const span = tracer.startSpan('from-env', { tags: { 'span.kind': 'server' } });
        span.finish();
        return { callback: await closed(tracer), received: await receivedSpans(1, 'env-service') };
      });
    } finally {
      names.forEach((name, i) => {
        if (saved[i] === undefined) delete process.env[name];
        else process.env[name] = saved[i];
      });
    }
  });

  test('reporting to a Jaeger collector over HTTP (reporter.collectorEndpoint), basic auth', async () => {
    await same(async (lib) => {
      const bodies: { body: Buffer; contentType: string | undefined; authorization: string | undefined; path: string | undefined }[] = [];
      const collector = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          bodies.push({ body: Buffer.concat(chunks), contentType: request.headers['content-type'], authorization: request.headers.authorization, path: request.url });
          response.writeHead(202).end();
        });
      });
      await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
      try {
        const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/api/traces`;
        const tracer = lib.initTracer({
          serviceName: 'collector-service',
          global: false,
          sampler: { type: 'const', param: 1 },
          reporter: { collectorEndpoint: endpoint, username: 'user', password: 'secret', flushIntervalMs: 50 },
        }, { logger: quiet });
        const parent = tracer.startSpan('request');
        tracer.startSpan('query', { childOf: parent, tags: { 'db.type': 'sql' } }).finish();
        parent.finish();
        const callback = await closed(tracer);
        const deadline = Date.now() + 5000;
        while (bodies.flatMap((b) => decodeBinaryBatch(b.body).spans).length < 2 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return {
          callback,
          requests: [...new Set(bodies.map((b) => `${b.path} ${b.contentType} ${b.authorization}`))],
          received: observedBatches(bodies.map((b) => decodeBinaryBatch(b.body)), 'collector-service'),
        };
      } finally {
        collector.close();
      }
    });
  });

  test('B3 through registerInjector/registerExtractor with ZipkinB3TextMapCodec({ urlEncoding: true })', async () => {
    await same(async (lib) => {
      const tracer = lib.initTracer({ serviceName: 'b3', global: false, sampler: { type: 'const', param: 1 } }, { reporter: new lib.InMemoryReporter(), logger: quiet });
      const codec = new lib.ZipkinB3TextMapCodec({ urlEncoding: true });
      tracer.registerInjector(lib.opentracing.FORMAT_HTTP_HEADERS, codec);
      tracer.registerExtractor(lib.opentracing.FORMAT_HTTP_HEADERS, codec);
      const extracted = tracer.extract(lib.opentracing.FORMAT_HTTP_HEADERS, {
        'X-B3-TraceId': fixedTrace, 'X-B3-SpanId': fixedSpan, 'X-B3-ParentSpanId': fixedParent, 'X-B3-Sampled': '1', 'uberctx-user': 'alice%20smith',
      });
      const span = tracer.startSpan('server', { childOf: extracted });
      span.setBaggageItem('tenant', 'acme corp');
      const headers: Record<string, string> = {};
      tracer.inject(span, lib.opentracing.FORMAT_HTTP_HEADERS, headers);
      const context = span.context();
      const unsampled: Record<string, string> = {};
      tracer.inject(tracer.extract(lib.opentracing.FORMAT_HTTP_HEADERS, { 'x-b3-traceid': fixedTrace, 'x-b3-spanid': fixedSpan, 'x-b3-sampled': '0' }), lib.opentracing.FORMAT_HTTP_HEADERS, unsampled);
      const debug = tracer.extract(lib.opentracing.FORMAT_HTTP_HEADERS, { 'x-b3-traceid': fixedTrace, 'x-b3-spanid': fixedSpan, 'x-b3-flags': '1' });
      await closed(tracer);
      return {
        extracted: [extracted.traceIdStr, extracted.spanIdStr, extracted.parentIdStr, extracted.isSampled(), extracted.isDebug(), extracted.baggage],
        headerNames: Object.keys(headers).sort(),
        // ids: jaeger-client trims leading zeros, we write 16 digits (Zipkin's rule): compare as numbers
        traceHeader: BigInt(`0x${headers['x-b3-traceid']}`) === BigInt(`0x${fixedTrace}`),
        spanHeader: BigInt(`0x${headers['x-b3-spanid']}`) === BigInt(`0x${context.spanIdStr}`),
        parentHeader: headers['x-b3-parentspanid'],
        sampled: headers['x-b3-sampled'],
        baggage: [headers['uberctx-user'], headers['uberctx-tenant']],
        unsampled: unsampled['x-b3-sampled'],
        debug: [debug.isSampled(), debug.isDebug(), debug.flags],
      };
    });
  });

  test('the default HTTP codec: uber-trace-id and uberctx-* written and read, toString() and flags', async () => {
    await same(async (lib) => {
      const tracer = lib.initTracer({ serviceName: 'text-map', global: false, sampler: { type: 'const', param: 1 } }, { reporter: new lib.NoopReporter(), logger: quiet });
      const extracted = tracer.extract(lib.opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': `${fixedTrace}:${fixedSpan}:${fixedParent}:1`, 'uberctx-user': 'bob' });
      const child = tracer.startSpan('child', { childOf: extracted });
      const headers: Record<string, string> = {};
      tracer.inject(child, lib.opentracing.FORMAT_HTTP_HEADERS, headers);
      const textMap: Record<string, string> = {};
      tracer.inject(child.context(), lib.opentracing.FORMAT_TEXT_MAP, textMap);
      const [trace, span, parent, flags] = headers['uber-trace-id']!.split(':');
      await closed(tracer);
      return {
        extracted: [extracted.toString(), extracted.isSampled(), extracted.isDebug(), extracted.baggage, extracted.isValid],
        child: [child.context().traceIdStr, child.context().parentIdStr, child.context().flags, child.getBaggageItem('user')],
        header: [BigInt(`0x${trace}`) === BigInt(`0x${fixedTrace}`), BigInt(`0x${span}`) === BigInt(`0x${child.context().spanIdStr}`), parent, flags],
        baggageHeader: headers['uberctx-user'],
        textMapKeys: Object.keys(textMap).filter((key) => key.startsWith('uber')).sort(),
        noHeaders: tracer.extract(lib.opentracing.FORMAT_HTTP_HEADERS, {})?.isValid ?? false,
      };
    });
  });

  test("initTracer's contextKey and baggagePrefix options rename the headers both ways", async () => {
    await same(async (lib) => {
      const tracer = lib.initTracer({ serviceName: 'keys', global: false, sampler: { type: 'const', param: 1 } },
        { reporter: new lib.NoopReporter(), logger: quiet, contextKey: 'My-Trace-Id', baggagePrefix: 'My-Baggage-' });
      const extracted = tracer.extract(lib.opentracing.FORMAT_HTTP_HEADERS, { 'my-trace-id': `${fixedTrace}:${fixedSpan}:0:1`, 'my-baggage-user': 'carol' });
      const span = tracer.startSpan('renamed', { childOf: extracted });
      const headers: Record<string, string> = {};
      tracer.inject(span, lib.opentracing.FORMAT_HTTP_HEADERS, headers);
      await closed(tracer);
      return [extracted.toString(), extracted.baggage, Object.keys(headers).sort(), headers['my-baggage-user'], span.getBaggageItem('user')];
    });
  });

  test('a log middleware reading isSampled(), toString() and the id strings', async () => {
    await same(async (lib) => {
      const lines: string[] = [];
      const logLine = (span: Lib): void => {
        const context = span.context();
        const [trace, id, parent, flags] = context.toString().split(':');
        lines.push(`${context.isSampled() ? 'sampled' : 'unsampled'} ${context.isDebug()} ${trace === context.traceIdStr} ${id === context.spanIdStr} ${parent} ${flags}` +
          ` ${Buffer.isBuffer(context.spanId)} ${context.spanId.length} ${context.parentId === null || context.parentId === undefined}`);
      };
      for (const param of [0, 1]) {
        const tracer = lib.initTracer({ serviceName: 'logs', global: false, sampler: { type: 'const', param } }, { reporter: new lib.InMemoryReporter(), logger: quiet });
        const span = tracer.startSpan('request');
        logLine(span);
        span.finish();
        await closed(tracer);
      }
      return lines;
    });
  });

  test('sampling.priority: forces (debug flag) on start tags and on setTag, 0 drops, as jaeger-client does', async () => {
    await same(async (lib) => {
      const { SAMPLING_PRIORITY } = lib.opentracing.Tags;
      const reporter = new lib.InMemoryReporter();
      const never = lib.initTracer({ serviceName: 'priority', global: false, sampler: { type: 'const', param: 0 } }, { reporter, logger: quiet });
      never.startSpan('forced at start', { tags: { [SAMPLING_PRIORITY]: 1, kept: 'yes' } }).finish();
      const later = never.startSpan('forced by setTag');
      later.setTag(SAMPLING_PRIORITY, 1);
      later.setTag('after', true);
      later.finish();
      never.startSpan('never forced').finish();
      const always = lib.initTracer({ serviceName: 'priority', global: false, sampler: { type: 'const', param: 1 } }, { reporter, logger: quiet });
      const dropped = always.startSpan('dropped by 0');
      dropped.setTag(SAMPLING_PRIORITY, 0);
      dropped.finish();
      always.startSpan('dropped at start', { tags: { [SAMPLING_PRIORITY]: 0 } }).finish();
      const result = reporter.spans.map((span: Lib) => ({
        name: span.operationName,
        sampled: span.context().isSampled(),
        debug: span.context().isDebug(),
        tags: lib.TestUtils.getTags(span, [SAMPLING_PRIORITY, 'kept', 'after']),
      }));
      await closed(never);
      await closed(always);
      return result;
    });
  });

  test('jaeger-debug-id forces a sampled debug trace with the id as a tag', async () => {
    await same(async (lib) => {
      const reporter = new lib.InMemoryReporter();
      const tracer = lib.initTracer({ serviceName: 'debug', global: false, sampler: { type: 'const', param: 0 } }, { reporter, logger: quiet });
      const parent = tracer.extract(lib.opentracing.FORMAT_HTTP_HEADERS, { 'jaeger-debug-id': 'ticket-42' });
      const span = tracer.startSpan('debugged', { childOf: parent });
      span.finish();
      await closed(tracer);
      return [span.context().isSampled(), span.context().isDebug(), parent.debugId, lib.TestUtils.getTags(reporter.spans[0], ['jaeger-debug-id'])];
    });
  });

  test('InMemoryReporter and TestUtils in a unit test', async () => {
    await same(async (lib) => {
      const reporter = new lib.InMemoryReporter();
      const tracer = lib.initTracer({ serviceName: 'unit', global: false, sampler: { type: 'const', param: 1 } }, { reporter, logger: quiet });
      const span = tracer.startSpan('work', { tags: { a: 1 } });
      span.addTags({ b: 'two', c: true });
      span.logEvent('done', { ok: 1 });
      span.finish();
      const seen = {
        count: reporter.spans.length,
        name: reporter.spans[0].operationName,
        service: reporter.spans[0].serviceName,
        hasTags: lib.TestUtils.hasTags(reporter.spans[0], { a: 1, b: 'two', c: true }),
        wrongTags: lib.TestUtils.hasTags(reporter.spans[0], { absent: 1 }),
        getTags: lib.TestUtils.getTags(reporter.spans[0], ['b', 'missing']),
        names: [reporter.name(), String(reporter), new lib.NoopReporter().name(), new lib.LoggingReporter(quiet).name()],
      };
      reporter.clear();
      await closed(tracer);
      return { ...seen, afterClear: reporter.spans.length };
    });
  });

  test("each sampler's constructor, name() and toString(), and its decisions through initTracer's options", async () => {
    await same(async (lib) => {
      const samplers = [new lib.ConstSampler(true), new lib.ConstSampler(false), new lib.ProbabilisticSampler(1), new lib.ProbabilisticSampler(0), new lib.RateLimitingSampler(2, 2)];
      const decisions: unknown[] = [];
      for (const sampler of samplers) {
        const reporter = new lib.InMemoryReporter();
        // jaeger-client takes a sampler through its Tracer constructor; ours through options.sampler
        const tracer = lib === ours
          ? lib.initTracer({ serviceName: 'samplers', global: false }, { sampler, reporter, logger: quiet })
          : new lib.Tracer('samplers', reporter, sampler, { logger: quiet });
        for (let i = 0; i < 4; i++) tracer.startSpan(`op${i}`).finish();
        decisions.push([sampler.name(), sampler.toString(), reporter.spans.length,
          reporter.spans.map((span: Lib) => lib.TestUtils.getTags(span, ['sampler.type', 'sampler.param']))[0] ?? null]);
        await closed(tracer);
      }
      return decisions;
    });
  });

  test('RemoteReporter with a UDP sender and CompositeReporter, closed with a callback', async () => {
    await same(async (lib) => {
      const Sender = lib.UDPSender ?? JaegerUDPSender;
      const memory = new lib.InMemoryReporter();
      const remote = new lib.RemoteReporter(new Sender({ host: agent.host, port: agent.port, logger: quiet }), { logger: quiet, bufferFlushInterval: 50 });
      const reporter = new lib.CompositeReporter([memory, remote]);
      const tracer = lib.initTracer({ serviceName: 'composite', global: false, sampler: { type: 'const', param: 1 } }, { reporter, logger: quiet });
      const parent = tracer.startSpan('outer');
      tracer.startSpan('inner', { childOf: parent }).finish();
      parent.finish();
      const callback = await closed(tracer);
      return { callback, names: [remote.name(), reporter.name(), String(reporter)], memory: memory.spans.length, received: await receivedSpans(2, 'composite') };
    });
  });

  test('RemoteSampler polling a sampling manager: the strategy it serves decides', async () => {
    await same(async (lib) => {
      // One manager per program, so that a poll of the other library still in flight is not counted.
      let requests = 0;
      const server = http.createServer((_request, response) => {
        requests++;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0 } }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;
        const sampler = new lib.RemoteSampler('remote-svc', { sampler: new lib.ProbabilisticSampler(1), hostPort, refreshInterval: 30, logger: quiet });
        const reporter = new lib.InMemoryReporter();
        const tracer = lib === ours
          ? lib.initTracer({ serviceName: 'remote-svc', global: false }, { sampler, reporter, logger: quiet })
          : new lib.Tracer('remote-svc', reporter, sampler, { logger: quiet });
        tracer.startSpan('before the first answer').finish();
        const first = reporter.spans.length;
        // the second poll starts only once the first answer is applied
        const deadline = Date.now() + 5000;
        while (requests < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        tracer.startSpan('after').finish();
        await closed(tracer);
        return [sampler.name(), sampler.toString(), first, reporter.spans.length];
      } finally {
        server.close();
      }
    });
  });

  test('metrics with prom-client: the same names, labels and values', async () => {
    const observed = await same(async (lib, name) => {
      promClient.register.clear();
      const namespace = name === 'ours' ? 'ours' : 'theirs';
      const tracer = lib.initTracer({
        serviceName: 'metrics',
        global: false,
        sampler: { type: 'const', param: 1 },
        reporter: { agentHost: agent.host, agentPort: agent.port, flushIntervalMs: 50 },
      }, { logger: quiet, metrics: new lib.PrometheusMetricsFactory(promClient, namespace) });
      const root = tracer.startSpan('root');
      root.setBaggageItem('user', 'u1');
      tracer.startSpan('child', { childOf: root }).finish();
      const remote = tracer.extract(lib.opentracing.FORMAT_HTTP_HEADERS, { 'uber-trace-id': `${fixedTrace}:${fixedSpan}:0:1` });
      tracer.startSpan('server', { childOf: remote, tags: { 'span.kind': 'server' } }).finish();
      root.finish();
      await closed(tracer);
      await receivedSpans(3, 'metrics');
      const values: Record<string, number> = {};
      for (const metric of await promClient.register.getMetricsAsJSON()) {
        for (const value of metric.values) {
          const labels = Object.entries(value.labels).map(([k, v]) => `${k}=${String(v)}`).sort().join(',');
          values[`${metric.name.slice(namespace.length + 1)}{${labels}}`] = value.value;
        }
      }
      promClient.register.clear();
      return values;
    });
    assert.deepEqual(observed, {
      'jaeger:baggage_truncations{}': 0,
      'jaeger:reporter_queue_length{}': 0,
      'jaeger:span_context_decoding_errors{}': 0,
      'jaeger:throttled_debug_spans{}': 0,
      'jaeger:baggage_updates{result=ok}': 1,
      'jaeger:finished_spans{}': 3,
      'jaeger:reporter_spans{result=ok}': 3,
      'jaeger:started_spans{sampled=y}': 3,
      'jaeger:traces{sampled=y,state=joined}': 1,
      'jaeger:traces{sampled=y,state=started}': 1,
    }, 'the values both libraries reported');
  });

  test('config validation: a missing serviceName throws, a disabled tracer does not', async () => {
    await same(async (lib) => {
      const throws = (fn: () => unknown): boolean => {
        try {
          const tracer = fn() as { close?: (cb: () => void) => void };
          tracer.close?.(() => {});
          return false;
        } catch {
          return true;
        }
      };
      return [
        throws(() => lib.initTracer({ global: false }, { logger: quiet })),
        throws(() => lib.initTracer({ disable: true, global: false }, { logger: quiet })),
        throws(() => lib.Configuration.initTracer({ serviceName: 'x', global: false, sampler: { type: 'const', param: 1 } }, { reporter: new lib.NoopReporter(), logger: quiet })),
        throws(() => new lib.PrometheusMetricsFactory({})),
      ];
    });
  });
});
