// The explicit adapters of `opentracing-async-instrumentation/server`, seed style: no
// installAllPatches(), then the same adapters with the automatic instrumentation also on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createTestTracer } from '../../src/testing/index.js';
import { expressMiddleware, fastifyPlugin, koaMiddleware } from '../../src/server/index.js';
import { httpServerIntegration } from '../../src/plugins/http-server.js';
import { createExpressIntegration } from '../../src/plugins/express.js';
import { createKoaIntegration } from '../../src/plugins/koa.js';
import { createFastifyIntegration } from '../../src/plugins/fastify.js';
import type { Integration } from '../../src/plugins/integration.js';
import { spanStore } from '../../src/tracer/active-context.js';
import { close, delay, get, integrationContext, listen, serverSpans, waitForSpans } from './server-support.js';
import type { Reply } from './server-support.js';

const require = createRequire(import.meta.url);
const { tracer, finishedSpans, reset } = createTestTracer();
const activeSpanId = (): string | undefined => spanStore.getStore()?.context().toSpanId();

type Json = Record<string, unknown>;
interface App { port: number; stop(): Promise<void> }

async function expressApp(name: 'express' | 'express4'): Promise<App> {
  const express = require(name) as {
    (): http.RequestListener & { use(...a: unknown[]): void; get(p: string, ...h: unknown[]): void; post(p: string, ...h: unknown[]): void };
    Router(o?: object): { get(p: string, ...h: unknown[]): void };
    json(): unknown;
  };
  const app = express();
  app.use(expressMiddleware({ tracer, ignorePaths: ['/health'], callerNameHeaders: ['X-Caller'] }));
  app.use(express.json());
  const users = express.Router();
  users.get('/:id', (req: { params: Json }, res: { json(b: unknown): void }) => res.json({ id: req.params.id, span: activeSpanId() }));
  app.use('/users', users);
  app.post('/echo', (req: { body: unknown }, res: { json(b: unknown): void }) => res.json({ body: req.body, span: activeSpanId() }));
  app.get('/fail', () => {
    throw new Error('broken');
  });
  app.get('/health', (_req: unknown, res: { json(b: unknown): void }) => res.json({ span: activeSpanId() ?? null }));
  const server = http.createServer(app);
  const port = await listen(server);
  return { port, stop: () => close(server) };
}

async function koaApp(name: 'koa' | 'koa2'): Promise<App> {
  const loaded = require(name) as (new () => KoaLike) | { default: new () => KoaLike };
  const Koa = typeof loaded === 'function' ? loaded : loaded.default;
  const { Router } = require('@koa/router') as { Router: new () => KoaRouterLike };
  const app = new Koa();
  app.on('error', () => {});
  app.use(koaMiddleware({ tracer }) as never);
  const router = new Router();
  router.get('/users/:id', async (ctx: { params: Json; body: unknown }) => {
    await delay(2);
    ctx.body = { id: ctx.params.id, span: activeSpanId() };
  });
  router.get('/fail', () => {
    throw new Error('broken');
  });
  app.use(router.routes());
  const server = http.createServer(app.callback());
  const port = await listen(server);
  return { port, stop: () => close(server) };
}
interface KoaLike { use(m: unknown): void; callback(): http.RequestListener; on(e: string, l: () => void): void }
interface KoaRouterLike { get(p: string, ...h: unknown[]): void; routes(): unknown }

async function fastifyApp(name: 'fastify' | 'fastify4'): Promise<App> {
  const fastify = require(name) as (o?: object) => {
    register(p: unknown, o?: object): void;
    get(p: string, h: (req: { params: Json }) => unknown): void;
    post(p: string, h: (req: { body: unknown }) => unknown): void;
    listen(o: object): Promise<string>;
    close(): Promise<void>;
    server: http.Server;
  };
  const app = fastify();
  app.register(fastifyPlugin, { tracer });
  app.get('/users/:id', async (req) => ({ id: req.params.id, span: activeSpanId() }));
  app.post('/echo', async (req) => ({ body: req.body, span: activeSpanId() }));
  app.get('/fail', async () => {
    throw new Error('broken');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as AddressInfo).port, stop: () => app.close() };
}

const frameworks: [string, () => Promise<App>, string, () => Integration][] = [
  ['Express 5', () => expressApp('express'), 'express', () => createExpressIntegration(['express'])],
  ['Express 4', () => expressApp('express4'), 'express', () => createExpressIntegration(['express4'])],
  ['Koa 3', () => koaApp('koa'), 'koa', () => createKoaIntegration(['koa'])],
  ['Koa 2', () => koaApp('koa2'), 'koa', () => createKoaIntegration(['koa2'])],
  ['Fastify 5', () => fastifyApp('fastify'), 'fastify', () => createFastifyIntegration(['fastify'])],
  ['Fastify 4', () => fastifyApp('fastify4'), 'fastify', () => createFastifyIntegration(['fastify4'])],
];

async function call(app: App, path: string, options: Parameters<typeof get>[2] = {}): Promise<{ reply: Reply; span: ReturnType<typeof finishedSpans>[number] }> {
  reset();
  const reply = await get(app.port, path, options);
  const [span] = await waitForSpans(finishedSpans, 1);
  await delay(10);
  assert.equal(serverSpans(finishedSpans()).length, 1, `exactly one server span for ${path}`);
  return { reply, span: span! };
}

for (const [label, start, component, automatic] of frameworks) {
  describe(`${label}, explicit adapter only`, () => {
    let app: App;
    before(async () => {
      app = await start();
    });
    after(() => app.stop());

    test('one server span, named after the route, the handler inside it', async () => {
      const { reply, span } = await call(app, '/users/7', { headers: { 'x-caller': 'billing' } });
      assert.deepEqual(JSON.parse(reply.body), { id: '7', span: span.spanId });
      assert.equal(span.operationName, 'GET /users/:id');
      assert.equal(span.tags.component, component);
      assert.equal(span.tags['http.status_code'], 200);
      assert.equal(span.parentSpanId, null);
      if (component === 'express') assert.equal(span.tags['peer.service'], 'billing');
    });

    test('a failing handler: status 500, error=true', async () => {
      const { reply, span } = await call(app, '/fail');
      assert.equal(reply.status, 500);
      assert.equal(span.tags.error, true);
      if (component !== 'express') assert.equal(span.logs[0]?.fields.message, 'broken');
    });

    if (component !== 'koa') {
      test('after body parsing the handler is still inside the span', async () => {
        const { reply, span } = await call(app, '/echo', {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}',
        });
        assert.deepEqual(JSON.parse(reply.body), { body: { a: 1 }, span: span.spanId });
      });
    }

    test('incoming trace context is continued', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const { span } = await call(app, '/users/1', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
      assert.equal(span.traceId, traceId);
      assert.equal(span.parentSpanId, '00f067aa0ba902b7');
    });
  });

  describe(`${label}, explicit adapter and automatic instrumentation together`, () => {
    let app: App;
    let integration: Integration;
    before(async () => {
      const context = integrationContext(tracer);
      httpServerIntegration.enable(context);
      integration = automatic();
      integration.enable(context);
      app = await start();
    });
    after(async () => {
      await app.stop();
      integration.disable();
      httpServerIntegration.disable();
    });

    test('still exactly one server span per request, errors recorded once', async () => {
      const ok = await call(app, '/users/3');
      assert.equal(ok.span.operationName, 'GET /users/:id');
      assert.deepEqual(JSON.parse(ok.reply.body), { id: '3', span: ok.span.spanId });
      const failed = await call(app, '/fail');
      assert.equal(failed.span.tags.error, true);
      assert.equal(failed.span.logs.length, 1);
    });
  });
}

describe('explicit adapter options', () => {
  test('ignorePaths: no span, and none active in the handler', async () => {
    const app = await expressApp('express');
    reset();
    const reply = await get(app.port, '/health');
    assert.deepEqual(JSON.parse(reply.body), { span: null });
    await delay(20);
    assert.equal(finishedSpans().length, 0);
    await app.stop();
  });

  test('bad options are a TypeError naming the option, at setup', () => {
    assert.throws(() => expressMiddleware({ ignorePaths: [42 as never] }), /ignorePaths/);
    assert.throws(() => koaMiddleware({ callerNameHeaders: 'x' as never }), /callerNameHeaders/);
    assert.throws(() => expressMiddleware({ tracer: {} as never }), /tracer/);
  });

  test('without a tracer option the global tracer is used, and no tracer at all changes nothing', async () => {
    const express = require('express') as () => http.RequestListener & { use(m: unknown): void; get(p: string, h: unknown): void };
    const app = express();
    app.use(expressMiddleware());
    app.get('/x', (_req: unknown, res: { json(b: unknown): void }) => res.json({ span: activeSpanId() ?? null }));
    const server = http.createServer(app);
    const port = await listen(server);
    const untraced = await get(port, '/x');
    assert.deepEqual(JSON.parse(untraced.body), { span: null });
    const global = createTestTracer({ global: true });
    const traced = await get(port, '/x');
    const [span] = await waitForSpans(global.finishedSpans, 1);
    assert.deepEqual(JSON.parse(traced.body), { span: span!.spanId });
    await close(server);
  });
});
