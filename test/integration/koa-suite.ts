// The same Koa app and assertions for Koa 2 and Koa 3 (koa2.test.ts, koa3.test.ts), with @koa/router.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { createTestTracer } from '../../src/testing/index.js';
import { httpServerIntegration } from '../../src/plugins/http-server.js';
import type { Integration } from '../../src/plugins/integration.js';
import { spanStore } from '../../src/tracer/active-context.js';
import { close, delay, get, integrationContext, listen, waitForSpans } from './server-support.js';
import type { TestContext } from './server-support.js';

export interface KoaContext {
  params: Record<string, string>;
  body: unknown;
  status: number;
  throw(status: number, message?: string): never;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => unknown;
export interface KoaApp {
  use(middleware: Middleware): KoaApp;
  callback(): http.RequestListener;
  on(event: string, listener: (...args: unknown[]) => void): void;
}
interface KoaRouter {
  get(path: string, ...middleware: Middleware[]): KoaRouter;
  use(path: string, ...middleware: Middleware[]): KoaRouter;
  routes(): Middleware;
  allowedMethods(): Middleware;
}
export type KoaClass = new () => KoaApp;

const require = createRequire(import.meta.url);
const Router = (require('@koa/router') as { Router: new (options?: { prefix?: string }) => KoaRouter }).Router;
const activeSpanId = (): string | undefined => spanStore.getStore()?.context().toSpanId();

export function buildKoaApp(Koa: KoaClass, downstreamPort: () => number, extra: Middleware[] = []): KoaApp {
  const app = new Koa();
  app.on('error', () => {}); // keep Koa's default error logging out of the test output
  for (const middleware of extra) app.use(middleware);
  const router = new Router();
  router.get('/users/:id', (ctx) => {
    // The name the span has while the handler runs (the route is known by now).
    ctx.body = { id: ctx.params.id, spanName: spanStore.getStore()?.operationName };
  });
  router.get('/throws', () => {
    throw new Error('handler exploded');
  });
  router.get('/client-error', (ctx) => ctx.throw(400, 'bad input'));
  router.get('/async', async (ctx) => {
    const before = activeSpanId();
    await delay(5);
    ctx.body = { before, after: activeSpanId() };
  });
  router.get('/stream', (ctx) => {
    let n = 0;
    ctx.body = new Readable({
      read() {
        setTimeout(() => this.push(n < 3 ? `chunk ${n++} ${activeSpanId()}\n` : null), 10);
      },
    });
  });
  router.get('/slow', async (ctx) => {
    await delay(200);
    ctx.body = 'late';
  });
  router.get('/call/:id', async (ctx) => {
    await delay(Math.random() * 5);
    const span = spanStore.getStore()!;
    const headers: Record<string, string> = {};
    span.tracer().inject(span.context(), FORMAT_HTTP_HEADERS, headers);
    ctx.body = (await get(downstreamPort(), `/down/${ctx.params.id}`, { headers })).body;
  });
  const members = new Router();
  members.get('/members/:member', (ctx) => {
    ctx.body = ctx.params;
  });
  const api = new Router({ prefix: '/api' });
  api.use('/orgs/:org', members.routes());
  app.use(router.routes());
  app.use(api.routes());
  return app;
}

/** `loadKoa` runs after the integration is enabled (a class loaded before exercises the already-loaded path). */
export function koaSuite(label: string, loadKoa: () => KoaClass, integration: Integration): void {
  const { tracer, finishedSpans, reset } = createTestTracer();
  let context: TestContext;
  let server: http.Server;
  let downstream: http.Server;
  let port = 0;
  let downstreamPort = 0;

  before(async () => {
    context = integrationContext(tracer);
    assert.equal(httpServerIntegration.enable(context), true);
    assert.equal(integration.enable(context), true);
    downstream = http.createServer((req, res) => res.end(req.url));
    downstreamPort = await listen(downstream);
    server = http.createServer(buildKoaApp(loadKoa(), () => downstreamPort).callback());
    port = await listen(server);
  });
  after(async () => {
    await close(server);
    await close(downstream);
    integration.disable();
    httpServerIntegration.disable();
    assert.deepEqual(context.faults, []);
  });

  async function one(path: string): Promise<{ body: string; status: number; span: ReturnType<typeof finishedSpans>[number] }> {
    reset();
    const reply = await get(port, path);
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
      assert.equal(span.tags.component, 'koa');
      assert.equal(span.tags['http.status_code'], 200);
    });

    test('nested routers with a prefix and a param in the mount path', async () => {
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
    test('a thrown error is recorded, with Koa\'s 500', async () => {
      const { status, span } = await one('/throws');
      assert.equal(status, 500);
      assert.equal(span.tags.error, true);
      assert.equal(span.tags['http.route'], '/throws');
      assert.equal(span.logs.length, 1);
      assert.equal(span.logs[0]!.fields.message, 'handler exploded');
    });

    test('ctx.throw(400) is a response, not a failure', async () => {
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

    test('a streamed body: produced in the span, finished after the last chunk', async () => {
      const { body, span } = await one('/stream');
      const lines = body.trim().split('\n');
      assert.equal(lines.length, 3);
      for (const line of lines) assert.ok(line.endsWith(span.spanId), line);
      assert.ok(span.duration >= 25_000, `duration ${span.duration}µs`);
      assert.equal(span.tags['http.route'], '/stream');
    });

    test('a client that disconnects early: http.aborted, one span', async () => {
      reset();
      const socket = net.connect(port, '127.0.0.1');
      socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
      await delay(30);
      socket.destroy();
      const [span] = await waitForSpans(finishedSpans, 1);
      assert.equal(span!.tags['http.aborted'], true);
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
