// node:http server spans through the automatic instrumentation: tags, context for the handler and
// its streams, errors, early disconnects, ignored paths, and parenting under concurrency.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { createTestTracer } from '../../src/testing/index.js';
import { httpServerIntegration } from '../../src/plugins/http-server.js';
import { spanStore } from '../../src/tracer/active-context.js';
import { close, delay, get, integrationContext, listen, serverSpans, waitForSpans } from './server-support.js';
import type { TestContext } from './server-support.js';

const { tracer, finishedSpans, reset } = createTestTracer();
let context: TestContext;

before(() => {
  context = integrationContext(tracer, { ignorePaths: ['/health', /^\/metrics/], callerNameHeaders: ['X-Caller'] });
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

describe('node:http server spans', () => {
  test('one server span per request with the OpenTracing tags, query redacted', async () => {
    reset();
    await withServer((req, res) => res.end('ok'), async (port) => {
      const reply = await get(port, '/hello?q=1&token=secret', { headers: { 'x-caller': 'billing' } });
      assert.equal(reply.body, 'ok');
      const [span] = await waitForSpans(finishedSpans, 1);
      assert.equal(span!.operationName, 'GET');
      assert.equal(span!.parentSpanId, null);
      assert.deepEqual(span!.tags, {
        'sampler.type': 'const',
        'sampler.param': true,
        'span.kind': 'server',
        component: 'node-http',
        'http.method': 'GET',
        'http.url': '/hello?q=1&token=REDACTED',
        'peer.ipv4': '127.0.0.1',
        'peer.port': span!.tags['peer.port'],
        'peer.service': 'billing',
        'http.status_code': 200,
      });
      assert.equal(typeof span!.tags['peer.port'], 'number');
    });
  });

  test('the handler, its timers, request stream events and response listeners run in the span', async () => {
    reset();
    const seen: Record<string, string | undefined> = {};
    const idOf = (): string | undefined => spanStore.getStore()?.context().toSpanId();
    await withServer((req, res) => {
      seen.handler = idOf();
      req.on('data', () => {
        seen.data ??= idOf();
      });
      req.on('end', () => {
        seen.end = idOf();
        setTimeout(() => {
          seen.timer = idOf();
          res.on('finish', () => {
            seen.finish = idOf();
          });
          res.end('done');
        }, 5);
      });
    }, async (port) => {
      // the body arrives in two packets, so 'end' comes from a later socket read
      await new Promise<void>((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/upload' }, (response) => {
          response.resume();
          response.on('end', resolve);
        });
        request.on('error', reject);
        request.write('first');
        setTimeout(() => request.end('second'), 20);
      });
      const [span] = await waitForSpans(finishedSpans, 1);
      for (const key of ['handler', 'data', 'end', 'timer', 'finish']) {
        assert.equal(seen[key], span!.spanId, `${key} ran outside the server span`);
      }
    });
  });

  test('nothing leaks: the connection, the next request and the caller see no active span', async () => {
    reset();
    const outside: (string | undefined)[] = [];
    await withServer((req, res) => {
      res.end('ok');
    }, async (port) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      await get(port, '/a', { agent });
      outside.push(spanStore.getStore()?.context().toSpanId());
      await get(port, '/b', { agent });
      outside.push(spanStore.getStore()?.context().toSpanId());
      agent.destroy();
      const spans = await waitForSpans(finishedSpans, 2);
      assert.notEqual(spans[0]!.traceId, spans[1]!.traceId);
      assert.equal(spans[1]!.parentSpanId, null);
    });
    assert.deepEqual(outside, [undefined, undefined]);
  });

  test('a server created inside an active span still starts a new trace per request', async () => {
    reset();
    await tracer.startActiveSpan('setup', async () => {
      await withServer((req, res) => res.end('ok'), async (port) => {
        await get(port, '/x');
      });
    });
    const spans = await waitForSpans(finishedSpans, 2);
    const server = serverSpans(spans)[0]!;
    const setup = spans.find((s) => s.operationName === 'setup')!;
    assert.equal(server.parentSpanId, null);
    assert.notEqual(server.traceId, setup.traceId);
  });

  test('status >= 500 sets error=true, 4xx does not', async () => {
    reset();
    await withServer((req, res) => {
      res.statusCode = req.url === '/fail' ? 503 : 404;
      res.end();
    }, async (port) => {
      await get(port, '/fail');
      await get(port, '/missing');
      const spans = await waitForSpans(finishedSpans, 2);
      const fail = spans.find((s) => s.tags['http.url'] === '/fail')!;
      const missing = spans.find((s) => s.tags['http.url'] === '/missing')!;
      assert.equal(fail.tags['http.status_code'], 503);
      assert.equal(fail.tags.error, true);
      assert.equal(missing.tags['http.status_code'], 404);
      assert.equal(missing.tags.error, undefined);
    });
  });

  test('a client that disconnects early finishes the span once, tagged http.aborted', async () => {
    reset();
    let respond: (() => void) | undefined;
    let activeOnClose: string | undefined;
    const closed = new Promise<void>((resolve) => {
      void withServer((req, res) => {
        res.on('close', () => {
          // Emitted from the socket's close, in the connection's context: re-entered by the hook.
          activeOnClose = spanStore.getStore()?.context().toSpanId();
          respond = () => res.end('too late');
          resolve();
        });
      }, async (port) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
        await delay(30);
        socket.destroy();
        await closed;
      });
    });
    await closed;
    const [span] = await waitForSpans(finishedSpans, 1);
    assert.equal(span!.tags['http.aborted'], true);
    assert.equal(span!.tags['http.status_code'], undefined);
    assert.equal(activeOnClose, span!.spanId, 'the close listener ran outside the server span');
    respond!();
    await delay(20);
    assert.equal(finishedSpans().length, 1);
  });

  test('ignorePaths: exact strings and RegExps make no span, and the handler sees none active', async () => {
    reset();
    const active: unknown[] = [];
    await withServer((req, res) => {
      active.push(spanStore.getStore());
      res.end();
    }, async (port) => {
      await get(port, '/health');
      await get(port, '/metrics?x=1');
      await get(port, '/health/deep');
      await waitForSpans(finishedSpans, 1);
      await delay(20);
      assert.deepEqual(finishedSpans().map((s) => s.tags['http.url']), ['/health/deep']);
      assert.equal(active[0], null);
      assert.equal(active[1], null);
    });
  });
});

describe('concurrency', () => {
  test('500 concurrent requests: each handler\'s downstream call is a child of its own server span', async () => {
    reset();
    const downstream = http.createServer((req, res) => {
      setTimeout(() => res.end(String(req.headers['x-request'])), Math.random() * 5);
    });
    const downstreamPort = await listen(downstream);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const outgoing = new Map<string, string>(); // request id → span id of the handler's client span
    await withServer(async (req, res) => {
      const id = req.headers['x-request'] as string;
      await delay(Math.random() * 5); // interleave the requests
      const clientSpan = tracer.startSpan('GET downstream', { tags: { 'span.kind': 'client' } });
      const headers: Record<string, string> = { 'x-request': id };
      tracer.inject(clientSpan.context(), FORMAT_HTTP_HEADERS, headers);
      outgoing.set(id, clientSpan.context().toSpanId());
      const reply = await get(downstreamPort, `/down/${id}`, { headers, agent });
      clientSpan.finish();
      res.end(reply.body);
    }, async (port) => {
      const clientAgent = new http.Agent({ keepAlive: true, maxSockets: 100 });
      const replies = await Promise.all(Array.from({ length: 500 }, (_, i) =>
        get(port, `/up/${i}`, { headers: { 'x-request': String(i) }, agent: clientAgent })));
      clientAgent.destroy();
      replies.forEach((reply, i) => assert.equal(reply.body, String(i)));
    });
    agent.destroy();
    await close(downstream);
    const spans = await waitForSpans(finishedSpans, 1500);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const upstream = spans.filter((s) => String(s.tags['http.url']).startsWith('/up/'));
    const downstreamSpans = spans.filter((s) => String(s.tags['http.url']).startsWith('/down/'));
    assert.equal(upstream.length, 500);
    assert.equal(downstreamSpans.length, 500);
    assert.equal(new Set(upstream.map((s) => s.traceId)).size, 500);
    for (const down of downstreamSpans) {
      const id = String(down.tags['http.url']).slice('/down/'.length);
      const client = byId.get(down.parentSpanId!)!;
      assert.equal(client.spanId, outgoing.get(id), `downstream ${id} has the wrong parent`);
      const up = byId.get(client.parentSpanId!)!;
      assert.equal(up.tags['http.url'], `/up/${id}`, `client span of ${id} is a child of ${up.tags['http.url']}`);
      assert.equal(down.traceId, up.traceId);
    }
  });
});
