import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { createTestTracer } from '../../../src/testing/index.js';
import type { SpanContext } from '../../../src/tracer/span-context.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TP = `00-${TRACE}-00f067aa0ba902b7-01`;

// Header lines as a client sends them: names in any case, some repeated.
const CASES: Record<string, string[]> = {
  'no trace header': ['Accept: */*', 'User-Agent: t'],
  'uber-trace-id, mixed case': [`Uber-Trace-Id: ${TRACE}:00f067aa0ba902b7:0:1`],
  'uberctx in any case, repeated': [`uber-trace-id: ${TRACE}:00f067aa0ba902b7:0:1`, 'UberCtx-Tenant: acme', 'uberctx-tenant: other', 'uberctx-user: 7'],
  'traceparent and tracestate': [`traceparent: ${TP}`, 'tracestate: rojo=1', 'TraceState: congo=2'],
  'two traceparents (malformed once joined)': [`traceparent: ${TP}`, `traceparent: 00-${TRACE}-00f067aa0ba902b8-01`],
  'baggage split over two lines': [`traceparent: ${TP}`, 'baggage: a=1', 'Baggage: b=2'],
  'b3 multi, uppercase': [`X-B3-TraceId: ${TRACE}`, 'X-B3-SpanId: 00f067aa0ba902b7', 'X-B3-Sampled: 1', 'X-Forwarded-For: 10.0.0.1'],
  'b3 single': [`b3: ${TRACE}-00f067aa0ba902b7-1`],
  'debug id and jaeger-baggage only': ['jaeger-debug-id: abc', 'Jaeger-Baggage: k=v, k2=v2'],
  '300 uberctx items, one repeated in another case': [
    `uber-trace-id: ${TRACE}:00f067aa0ba902b7:0:1`,
    ...Array.from({ length: 300 }, (_, i) => `uberctx-k${i}: v${i}`),
    'UBERCTX-K7: again',
  ],
};

function describeContext(context: SpanContext | null): unknown {
  if (context === null) return null;
  return {
    valid: context.isValid,
    traceId: context.isValid ? context.toTraceId() : null,
    spanId: context.isValid ? context.toSpanId() : null,
    parent: context.isValid ? context.parentSpanId() : null,
    flags: context.flags,
    baggage: context.baggage,
    traceState: context.traceState,
    debugId: context.debugId,
  };
}

describe('trace context from rawHeaders', () => {
  const { tracer } = createTestTracer({ propagators: ['jaeger', 'tracecontext', 'baggage', 'b3', 'b3multi'] });
  let server: http.Server;
  let port = 0;
  const seen: { fromRaw: unknown; fromHeaders: unknown }[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      // rawHeaders first: req.headers is built on first read.
      const fromRaw = describeContext(tracer._extractRawHeaders(req.rawHeaders));
      seen.push({ fromRaw, fromHeaders: describeContext(tracer.extract(FORMAT_HTTP_HEADERS, req.headers)) });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function send(lines: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end(['GET / HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close', ...lines, '', ''].join('\r\n'));
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
      socket.resume();
    });
  }

  for (const [name, lines] of Object.entries(CASES)) {
    test(`${name}: same context as from req.headers`, async () => {
      seen.length = 0;
      await send(lines);
      assert.equal(seen.length, 1);
      assert.deepEqual(seen[0]!.fromRaw, seen[0]!.fromHeaders);
    });
  }

  test('the cases above cover contexts, roots with baggage and no context at all', async () => {
    const kinds = new Set<string>();
    for (const lines of Object.values(CASES)) {
      seen.length = 0;
      await send(lines);
      const context = seen[0]!.fromRaw as { valid: boolean } | null;
      kinds.add(context === null ? 'none' : context.valid ? 'context' : 'baggage or debug id only');
    }
    assert.deepEqual([...kinds].sort(), ['baggage or debug id only', 'context', 'none']);
  });
});
