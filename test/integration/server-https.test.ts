// node:https servers, IPv6 peers, and trace context from other tracers' propagators.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { ROOT_CONTEXT, TraceFlags, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { createTestTracer } from '../../src/testing/index.js';
import { httpServerIntegration } from '../../src/plugins/http-server.js';
import { spanStore } from '../../src/tracer/active-context.js';
import { selfSignedCertificate } from '../support/https-cert.js';
import { close, get, integrationContext, listen, waitForSpans } from './server-support.js';
import type { TestContext } from './server-support.js';

interface JaegerSpan {
  context(): { traceIdStr: string; spanIdStr: string };
  setBaggageItem(key: string, value: string): void;
}
interface JaegerTracer {
  startSpan(name: string): JaegerSpan;
  inject(context: unknown, format: string, carrier: Record<string, string>): void;
  close(): void;
}
const require = createRequire(import.meta.url);
const jaeger = require('jaeger-client') as {
  initTracer(config: object, options: object): JaegerTracer;
  InMemoryReporter: new () => object;
};

const { tracer, finishedSpans, reset } = createTestTracer();
let context: TestContext;

before(() => {
  context = integrationContext(tracer);
  assert.equal(httpServerIntegration.enable(context), true);
});
after(() => {
  httpServerIntegration.disable();
  assert.deepEqual(context.faults, []);
});

async function withServer(handler: http.RequestListener, run: (port: number) => Promise<void>): Promise<void> {
  const server = http.createServer(handler);
  const port = await listen(server);
  try {
    await run(port);
  } finally {
    await close(server);
  }
}

describe('https and IPv6', () => {
  test('an https server gets the same server span, its handler inside it', async () => {
    reset();
    const server = https.createServer(selfSignedCertificate(), (req, res) => {
      res.end(spanStore.getStore()?.context().toSpanId());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const body = await new Promise<string>((resolve, reject) => {
      https.get({ host: '127.0.0.1', port, path: '/secure?key=k', rejectUnauthorized: false }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve(text));
      }).on('error', reject);
    });
    await new Promise((resolve) => server.close(resolve));
    const [span] = await waitForSpans(finishedSpans, 1);
    assert.equal(body, span!.spanId);
    assert.equal(span!.tags['http.url'], '/secure?key=REDACTED');
    assert.equal(span!.tags['http.status_code'], 200);
  });

  test('a client on ::1 is tagged peer.ipv6', async () => {
    reset();
    const server = http.createServer((req, res) => res.end());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '::1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      http.get({ host: '::1', port, path: '/v6' }, (response) => {
        response.resume();
        response.on('end', resolve);
      }).on('error', reject);
    });
    await new Promise((resolve) => server.close(resolve));
    const [span] = await waitForSpans(finishedSpans, 1);
    assert.equal(span!.tags['peer.ipv6'], '::1');
    assert.equal(span!.tags['peer.ipv4'], undefined);
  });
});

describe('incoming trace context', () => {
  test('uber-trace-id and baggage written by jaeger-client are continued', async () => {
    reset();
    const peer = jaeger.initTracer({ serviceName: 'peer', sampler: { type: 'const', param: 1 } },
      { reporter: new jaeger.InMemoryReporter() });
    const upstream = peer.startSpan('upstream');
    upstream.setBaggageItem('tenant', 'acme');
    const headers: Record<string, string> = {};
    peer.inject(upstream.context(), FORMAT_HTTP_HEADERS, headers);
    assert.ok(headers['uber-trace-id']);
    let baggage: string | undefined;
    await withServer((req, res) => {
      baggage = spanStore.getStore()?.getBaggageItem('tenant');
      res.end();
    }, async (port) => {
      await get(port, '/continued', { headers });
    });
    const [span] = await waitForSpans(finishedSpans, 1);
    assert.equal(span!.traceId.replace(/^0+/, ''), upstream.context().traceIdStr.replace(/^0+/, ''));
    assert.equal(span!.parentSpanId, upstream.context().spanIdStr.padStart(16, '0'));
    assert.equal(baggage, 'acme');
    peer.close();
  });

  test('traceparent written by OpenTelemetry is continued', async () => {
    reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const spanId = '00f067aa0ba902b7';
    const headers: Record<string, string> = {};
    new W3CTraceContextPropagator().inject(
      trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED }), headers, defaultTextMapSetter);
    assert.ok(headers.traceparent);
    await withServer((req, res) => res.end(), async (port) => {
      await get(port, '/w3c', { headers });
    });
    const [span] = await waitForSpans(finishedSpans, 1);
    assert.equal(span!.traceId, traceId);
    assert.equal(span!.parentSpanId, spanId);
  });

  test('malformed trace headers start a new root and never fail the request', async () => {
    reset();
    await withServer((req, res) => res.end('fine'), async (port) => {
      const reply = await get(port, '/bad', {
        headers: { 'uber-trace-id': 'zz:not:a:context', traceparent: '00-xyz-01', b3: '!!!' },
      });
      assert.equal(reply.body, 'fine');
    });
    const [span] = await waitForSpans(finishedSpans, 1);
    assert.equal(span!.parentSpanId, null);
    assert.equal(span!.tags.error, undefined);
  });
});

