// The same Fastify app and assertions for Fastify 4 and Fastify 5 (fastify4.test.ts, fastify5.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { Readable } from 'node:stream';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { createTestTracer } from '../../src/testing/index.js';
import { httpServerIntegration } from '../../src/plugins/http-server.js';
import type { Integration } from '../../src/plugins/integration.js';
import { spanStore } from '../../src/tracer/active-context.js';
import { close, delay, get, integrationContext, listen, waitForSpans } from './server-support.js';
import type { TestContext } from './server-support.js';

interface Request { params: Record<string, string>; body: unknown }
interface Reply { code(status: number): Reply; send(body?: unknown): Reply }
type RouteHandler = (request: Request, reply: Reply) => unknown;
export interface FastifyApp {
  get(path: string, handler: RouteHandler): void;
  post(path: string, handler: RouteHandler): void;
  register(plugin: (instance: FastifyApp, options: object, done: () => void) => void, options?: { prefix?: string }): void;
  register(plugin: unknown, options?: object): void;
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
  server: http.Server;
}
export type FastifyFactory = (options?: object) => FastifyApp;

const activeSpanId = (): string | undefined => spanStore.getStore()?.context().toSpanId();

export function buildFastifyApp(fastify: FastifyFactory, downstreamPort: () => number): FastifyApp {
  const app = fastify();
  app.get('/users/:id', async (request) => ({ id: request.params.id, spanName: spanStore.getStore()?.operationName }));
  app.get('/throws', async () => {
    throw new Error('handler exploded');
  });
  app.get('/sync-throws', () => {
    throw new Error('sync exploded');
  });
  app.get('/client-error', async (_request, reply) => {
    reply.code(400);
    throw Object.assign(new Error('bad input'), { statusCode: 400 });
  });
  app.get('/async', async () => {
    const before = activeSpanId();
    await delay(5);
    return { before, after: activeSpanId() };
  });
  app.post('/echo', async (request) => ({ received: request.body, span: activeSpanId() }));
  app.get('/stream', async (_request, reply) => {
    let n = 0;
    return reply.send(new Readable({
      read() {
        setTimeout(() => this.push(n < 3 ? `chunk ${n++} ${activeSpanId()}\n` : null), 10);
      },
    }));
  });
  app.get('/slow', async () => {
    await delay(200);
    return 'late';
  });
  app.get('/call/:id', async (request) => {
    await delay(Math.random() * 5);
    const span = spanStore.getStore()!;
    const headers: Record<string, string> = {};
    span.tracer().inject(span.context(), FORMAT_HTTP_HEADERS, headers);
    return (await get(downstreamPort(), `/down/${request.params.id}`, { headers })).body;
  });
  app.register((api, _options, done) => {
    api.get('/orgs/:org/members/:member', async (request) => request.params);
    done();
  }, { prefix: '/api' });
  return app;
}

/** `loadFastify` runs after the integration is enabled. */
export function fastifySuite(label: string, loadFastify: () => FastifyFactory, integration: Integration): void {
  const { tracer, finishedSpans, reset } = createTestTracer();
  let context: TestContext;
  let app: FastifyApp;
  let downstream: http.Server;
  let port = 0;
  let downstreamPort = 0;

  before(async () => {
    context = integrationContext(tracer);
    assert.equal(httpServerIntegration.enable(context), true);
    assert.equal(integration.enable(context), true);
    downstream = http.createServer((req, res) => res.end(req.url));
    downstreamPort = await listen(downstream);
    app = buildFastifyApp(loadFastify(), () => downstreamPort);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as net.AddressInfo).port;
  });
  after(async () => {
    await app.close();
    await close(downstream);
    integration.disable();
    httpServerIntegration.disable();
    assert.deepEqual(context.faults, []);
  });

  async function one(path: string, options: Parameters<typeof get>[2] = {}): Promise<{ body: string; status: number; span: ReturnType<typeof finishedSpans>[number] }> {
    reset();
    const reply = await get(port, path, options);
    const [span] = await waitForSpans(finishedSpans, 1);
    await delay(5);
    assert.equal(finishedSpans().length, 1, 'exactly one server span');
    return { body: reply.body, status: reply.status, span: span! };
  }

  describe(`${label}: routes`, () => {
    test('the route template names the span; params are the request\'s', async () => {
      const { body, span } = await one('/users/42?expand=1');
      assert.deepEqual(JSON.parse(body), { id: '42', spanName: 'GET /users/:id' }, 'named already inside the handler');
      assert.equal(span.operationName, 'GET /users/:id');
      assert.equal(span.tags['http.route'], '/users/:id');
      assert.equal(span.tags.component, 'fastify');
      assert.equal(span.tags['http.status_code'], 200);
    });

    test('routes of a plugin registered with a prefix', async () => {
      const { body, span } = await one('/api/orgs/acme/members/7');
      assert.deepEqual(JSON.parse(body), { org: 'acme', member: '7' });
      assert.equal(span.operationName, 'GET /api/orgs/:org/members/:member');
    });

    test('404: the method alone, no route', async () => {
      const { status, span } = await one('/nothing/here');
      assert.equal(status, 404);
      assert.equal(span.operationName, 'GET');
      assert.equal(span.tags['http.route'], undefined);
    });
  });

  describe(`${label}: errors`, () => {
    test('errors thrown by async and sync handlers are recorded once, with the 500', async () => {
      for (const path of ['/throws', '/sync-throws']) {
        const { status, span } = await one(path);
        assert.equal(status, 500);
        assert.equal(span.tags.error, true);
        assert.equal(span.tags['http.route'], path);
        assert.equal(span.logs.length, 1, path);
        assert.match(String(span.logs[0]!.fields.message), /exploded/);
      }
    });

    test('a 4xx error is a response, not a failure', async () => {
      const { status, span } = await one('/client-error');
      assert.equal(status, 400);
      assert.equal(span.tags.error, undefined);
      // logged as a client error with its status, the span not marked failed
      assert.deepEqual(span.logs.map((l) => [l.fields.event, l.fields['http.status_code'], l.fields.message]), [['client error', 400, 'bad input']]);
    });
  });

  describe(`${label}: context`, () => {
    test('an async handler keeps the server span across await', async () => {
      const { body, span } = await one('/async');
      assert.deepEqual(JSON.parse(body), { before: span.spanId, after: span.spanId });
    });

    test('a handler after body parsing (request stream events) runs in the span', async () => {
      const { body, span } = await one('/echo', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 1 }),
      });
      assert.deepEqual(JSON.parse(body), { received: { a: 1 }, span: span.spanId });
    });

    test('a streamed reply: produced in the span, finished after the last chunk', async () => {
      const { body, span } = await one('/stream');
      const lines = body.trim().split('\n');
      assert.equal(lines.length, 3);
      for (const line of lines) assert.ok(line.endsWith(span.spanId), line);
      assert.ok(span.duration >= 25_000, `duration ${span.duration}µs`);
    });

    test('a client that disconnects early: http.aborted, one span', async () => {
      reset();
      const socket = net.connect(port, '127.0.0.1');
      socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
      await delay(30);
      socket.destroy();
      const [span] = await waitForSpans(finishedSpans, 1);
      assert.equal(span!.tags['http.aborted'], true);
      assert.equal(span!.tags['http.route'], '/slow');
      await delay(250);
      assert.equal(finishedSpans().length, 1);
    });

    test('500 concurrent requests, each its own trace, each downstream call its child', async () => {
      reset();
      const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
      const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => get(port, `/call/${i}`, { agent })));
      agent.destroy();
      replies.forEach((reply, i) => assert.equal(reply.body, `/down/${i}`));
      const spans = await waitForSpans(finishedSpans, 1000);
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const upstream = spans.filter((s) => s.tags['http.route'] === '/call/:id');
      assert.equal(upstream.length, 500);
      assert.equal(new Set(upstream.map((s) => s.traceId)).size, 500);
      for (const down of spans.filter((s) => String(s.tags['http.url']).startsWith('/down/'))) {
        const parent = byId.get(down.parentSpanId!)!;
        assert.equal(parent.tags['http.url'], `/call/${String(down.tags['http.url']).slice(6)}`);
      }
    });
  });
}
