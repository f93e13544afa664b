// The same Express app and assertions for Express 4 and Express 5 (express4.test.ts, express5.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { createTestTracer } from '../../src/testing/index.js';
import { httpServerIntegration } from '../../src/plugins/http-server.js';
import type { Integration } from '../../src/plugins/integration.js';
import { spanStore } from '../../src/tracer/active-context.js';
import { close, delay, get, integrationContext, listen, waitForSpans } from './server-support.js';
import type { TestContext } from './server-support.js';

type Handler = (...args: never[]) => unknown;
interface Router {
  use(...args: unknown[]): Router;
  get(path: string | RegExp, ...handlers: Handler[]): Router;
}
export interface ExpressModule {
  (): http.RequestListener & Router;
  Router(options?: { mergeParams?: boolean }): Router;
}
interface Req { params: Record<string, string>; headers: http.IncomingHttpHeaders; url: string }
interface Res {
  json(body: unknown): void;
  send(body: string): void;
  status(code: number): Res;
  write(chunk: string): void;
  end(chunk?: string): void;
  on(event: string, listener: () => void): void;
}
type Next = (error?: unknown) => void;

const activeSpanId = (): string | undefined => spanStore.getStore()?.context().toSpanId();

export function buildApp(express: ExpressModule, downstreamPort: () => number): http.RequestListener {
  const app = express();
  app.get('/users/:id', (req: Req, res: Res) => res.json({ id: req.params.id, spanName: spanStore.getStore()?.operationName }));

  const orgs = express.Router({ mergeParams: true });
  orgs.get('/members/:member', (req: Req, res: Res) => res.json(req.params));
  const api = express.Router();
  api.use('/orgs/:org', orgs);
  api.get('/', (_req: Req, res: Res) => res.send('api root'));
  app.use('/api', api);

  const misc = express.Router();
  misc.get('/ping', (_req: Req, res: Res) => res.send('pong'));
  app.use(misc);

  const admin = express();
  admin.get('/reports/:year', (req: Req, res: Res) => res.send(`report ${req.params.year}`));
  app.use('/admin', admin);

  app.get('/throws', () => {
    throw new Error('handler exploded');
  });
  app.get('/next-error', (_req: Req, _res: Res, next: Next) => next(new Error('passed to next')));
  app.get('/client-error', (_req: Req, _res: Res, next: Next) => next(Object.assign(new Error('nope'), { status: 400 })));
  app.get('/async', async (_req: Req, res: Res) => {
    const before = activeSpanId();
    await delay(5);
    res.json({ before, after: activeSpanId() });
  });
  app.get('/stream', (_req: Req, res: Res) => {
    let n = 0;
    const timer = setInterval(() => {
      res.write(`chunk ${n} ${activeSpanId()}\n`);
      if (++n === 3) {
        clearInterval(timer);
        res.end();
      }
    }, 10);
  });
  app.get('/slow', (_req: Req, res: Res) => {
    setTimeout(() => res.end('late'), 200);
  });
  app.get('/call/:id', async (req: Req, res: Res) => {
    await delay(Math.random() * 5);
    const span = spanStore.getStore()!;
    const headers: Record<string, string> = {};
    span.tracer().inject(span.context(), FORMAT_HTTP_HEADERS, headers);
    const reply = await get(downstreamPort(), `/down/${req.params.id}`, { headers });
    res.send(reply.body);
  });
  // Error middleware is recognised by its arity: it must still be after the patches.
  app.use((error: Error & { status?: number }, _req: Req, res: Res, _next: Next) => {
    res.status(error.status ?? 500).send(`handled: ${error.message}`);
  });
  return app;
}

export function expressSuite(label: string, loadExpress: () => ExpressModule, integration: Integration): void {
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
    server = http.createServer(buildApp(loadExpress(), () => downstreamPort));
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
      assert.equal(span.tags.component, 'express');
      assert.equal(span.tags['http.url'], '/users/42?expand=1');
      assert.equal(span.tags['http.status_code'], 200);
    });

    test('nested routers compose their templates (with params in the mount path)', async () => {
      const { body, span } = await one('/api/orgs/acme/members/7');
      assert.deepEqual(JSON.parse(body), { org: 'acme', member: '7' });
      assert.equal(span.operationName, 'GET /api/orgs/:org/members/:member');
      const root = await one('/api');
      assert.equal(root.body, 'api root');
      assert.equal(root.span.tags['http.route'], '/api');
    });

    test('a router mounted without a path, and a mounted sub-app', async () => {
      const ping = await one('/ping');
      assert.equal(ping.body, 'pong');
      assert.equal(ping.span.tags['http.route'], '/ping');
      const report = await one('/admin/reports/2026');
      assert.equal(report.body, 'report 2026');
      assert.equal(report.span.tags['http.route'], '/admin/reports/:year');
    });

    test('404: the method alone, no route', async () => {
      const { status, span } = await one('/api/orgs/acme/nothing');
      assert.equal(status, 404);
      assert.equal(span.operationName, 'GET');
      assert.equal(span.tags['http.route'], undefined);
      assert.equal(span.tags.error, undefined);
    });
  });

  describe(`${label}: errors`, () => {
    test('a thrown error reaches the error middleware (arity kept) and is recorded', async () => {
      const { status, body, span } = await one('/throws');
      assert.equal(status, 500);
      assert.equal(body, 'handled: handler exploded');
      assert.equal(span.tags.error, true);
      assert.equal(span.tags['http.route'], '/throws');
      assert.equal(span.logs.filter((l) => l.fields.event === 'error').length, 1);
      assert.equal(span.logs[0]!.fields.message, 'handler exploded');
    });

    test('next(error) is recorded once; a 4xx error is a response, not a failure', async () => {
      const failed = await one('/next-error');
      assert.equal(failed.status, 500);
      assert.equal(failed.span.logs.length, 1);
      assert.equal(failed.span.logs[0]!.fields.message, 'passed to next');
      const client = await one('/client-error');
      assert.equal(client.status, 400);
      assert.equal(client.span.tags.error, undefined);
      // logged as a client error with its status, the span not marked failed
      assert.deepEqual(client.span.logs.map((l) => [l.fields.event, l.fields['http.status_code'], l.fields.message]), [['client error', 400, 'nope']]);
    });
  });

  describe(`${label}: context`, () => {
    test('an async handler keeps the server span across await', async () => {
      const { body, span } = await one('/async');
      assert.deepEqual(JSON.parse(body), { before: span.spanId, after: span.spanId });
      assert.equal(span.tags['http.route'], '/async');
    });

    test('a streaming response: timers in the span, finished after the last chunk', async () => {
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
        assert.equal(parent.traceId, down.traceId);
      }
    });
  });
}
