// Tracing must not change what Express handlers receive: `next`, `req.next` and the arguments
// are compared for the same app with and without tracing, in Express 4 and 5 (res.format's 406
// path checks `next === req.next`, as Express's own tests do). Errors passed through `req.next`
// are recorded on the span all the same.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { createTestTracer } from '../../src/testing/index.js';
import { httpServerIntegration } from '../../src/plugins/http-server.js';
import { createExpressIntegration } from '../../src/plugins/express.js';
import { close, delay, get, integrationContext, listen, waitForSpans } from './server-support.js';

const require = createRequire(import.meta.url);
type Fn = (...args: unknown[]) => unknown;
interface App extends http.RequestListener {
  use(...args: unknown[]): void;
  get(path: string, ...handlers: Fn[]): void;
}
interface ExpressModule {
  (): App;
  Router(): App;
}

/** What a handler can observe about its arguments, recorded per handler name. */
type Seen = Record<string, { args: number; nextIsReqNext: boolean; nextName: string; nextLength: number; throws: string }>;

function buildApp(express: ExpressModule, seen: Seen): App {
  const observe = (name: string, args: unknown[], next: unknown, req: { next?: unknown }): void => {
    const fn = next as Fn;
    let throws = '';
    try {
      throw new Error('where');
    } catch (error) {
      // The frames between this handler and Express's own code (item: no wrapper frames of ours).
      throws = String((error as Error).stack).split('\n').slice(1, 6).filter((line) => /[\\/](src|dist[\\/]\w+)[\\/]hooks[\\/]/.test(line)).join('|');
    }
    seen[name] = { args: args.length, nextIsReqNext: next === req.next, nextName: fn.name, nextLength: fn.length, throws };
  };
  const app = express();
  app.use(function middleware(this: unknown, ...args: unknown[]) {
    const [req, , next] = args as [{ next?: unknown }, unknown, Fn];
    observe('middleware', args, next, req);
    next();
  });
  const router = express.Router();
  router.get('/items/:id', function routed(...args: unknown[]) {
    const [req, res, next] = args as [{ next?: unknown }, { send(body: string): void }, Fn];
    observe('routed', args, next, req);
    res.send('item');
  });
  app.use('/api', router);
  // A middleware, as in Express's own res.format tests: a route handler's `next` is its route's.
  app.use('/format', function format(...args: unknown[]) {
    const [req, res, next] = args as [{ next?: unknown }, { format(map: Record<string, Fn>): void }, Fn];
    observe('format', args, next, req);
    // No acceptable type: res.format passes a 406 error to req.next.
    res.format({ 'application/x-nothing': () => undefined });
  });
  app.get('/fail', function fail(...args: unknown[]) {
    const [req, , next] = args as [{ next?: unknown }, unknown, Fn];
    observe('fail', args, next, req);
    (req.next as Fn)(new Error('through req.next'));
  });
  // Four parameters: Express tells error handlers by their arity.
  app.use(function errorHandler(error: { status?: number; message: string }, req: { next?: unknown }, res: { status(code: number): { send(body: string): void } }, next: Fn) {
    observe('errorHandler', [error, req, res, next], next, req);
    res.status(error.status ?? 500).send(error.message);
  });
  return app;
}

async function observeRequests(app: App): Promise<{ seen: Seen; statuses: number[] }> {
  const seen: Seen = {};
  const server = http.createServer(app);
  const port = await listen(server);
  try {
    const statuses: number[] = [];
    for (const path of ['/api/items/7', '/format', '/fail']) statuses.push((await get(port, path, { headers: { accept: 'text/plain' } })).status);
    return { seen, statuses };
  } finally {
    await close(server);
  }
}

for (const [label, moduleName] of [['Express 4', 'express4'], ['Express 5', 'express']] as const) {
  describe(`${label}: handlers receive the same arguments traced and untraced`, () => {
    const express = require(moduleName) as ExpressModule;
    const { tracer, finishedSpans, reset } = createTestTracer();
    const integration = createExpressIntegration([moduleName]);
    let untraced: { seen: Seen; statuses: number[] };

    before(async () => {
      const seen: Seen = {};
      untraced = await observeRequests(buildApp(express, seen));
      untraced.seen = seen;
      const context = integrationContext(tracer);
      assert.equal(httpServerIntegration.enable(context), true);
      assert.equal(integration.enable(context), true);
    });
    after(() => {
      integration.disable();
      httpServerIntegration.disable();
    });

    test('next, req.next, argument counts, and no frame of ours in handler stacks', async () => {
      const seen: Seen = {};
      reset();
      const traced = await observeRequests(buildApp(express, seen));
      assert.deepEqual(traced.statuses, [200, 406, 500]);
      assert.deepEqual(traced.statuses, untraced.statuses);
      // Express 4's hook still runs one wrapper per layer (its frame is in handler stacks); Express 5 has none.
      const withoutFrames = (all: Seen): Seen => Object.fromEntries(Object.entries(all).map(([name, v]) => [name, { ...v, throws: '' }]));
      assert.deepEqual(label === 'Express 4' ? withoutFrames(seen) : seen, untraced.seen);
      if (label === 'Express 5') assert.ok(Object.values(seen).every((v) => v.throws === ''), JSON.stringify(seen));
      else assert.match(seen['middleware']!.throws, /hooks[\\/]express4/, 'the frame detection works (and Express 4 keeps one frame)');
      assert.equal(seen['format']!.nextIsReqNext, true, 'res.format relies on it');
      assert.equal(seen['middleware']!.nextIsReqNext, true);
      // It was traced: one server span per request, named by route.
      const spans = await waitForSpans(finishedSpans, 3);
      assert.deepEqual(spans.map((s) => s.operationName).sort(), ['GET', 'GET /api/items/:id', 'GET /fail']);
    });

    test('errors passed through req.next reach the span (an explicit req.next(error); res.format\'s 406)', async () => {
      reset();
      const server = http.createServer(buildApp(express, {}));
      const port = await listen(server);
      try {
        await get(port, '/fail');
        await get(port, '/format', { headers: { accept: 'text/plain' } });
      } finally {
        await close(server);
      }
      const spans = await waitForSpans(finishedSpans, 2);
      await delay(5);
      const fail = spans.find((s) => s.operationName === 'GET /fail')!;
      const format = spans.find((s) => s.tags['http.url'] === '/format')!;
      assert.equal(fail.tags.error, true);
      assert.equal(fail.logs.find((l) => l.fields.event === 'error')?.fields.message, 'through req.next');
      // res.format's error carries status 406: a response, not a failure, as for any 4xx error,
      // but recorded on the span as a client error.
      assert.equal(format.tags['http.status_code'], 406);
      assert.equal(format.tags.error, undefined);
      const clientError = format.logs.find((l) => l.fields.event === 'client error');
      assert.equal(clientError?.fields['http.status_code'], 406);
      assert.match(String(clientError?.fields.message), /Not Acceptable/);
    });
  });
}
