// The server integrations through the real registry: installAllPatches() finds them,
// uninstallAllPatches() puts every prototype back and no span is made afterwards.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import { createTestTracer } from '../../src/testing/index.js';
import { clientHooks, installAllPatches, uninstallAllPatches } from '../../src/index.js';
import { createExpressIntegration } from '../../src/plugins/express.js';
import { close, delay, get, integrationContext, listen, waitForSpans } from './server-support.js';

const require = createRequire(import.meta.url);
const { tracer, finishedSpans, reset } = createTestTracer();

const emitDescriptors = (): (PropertyDescriptor | undefined)[] => [
  http.Server.prototype, https.Server.prototype, http.IncomingMessage.prototype, http.ServerResponse.prototype,
].map((proto) => Object.getOwnPropertyDescriptor(proto, 'emit'));

after(() => uninstallAllPatches());

describe('installAllPatches and the server integrations', () => {
  const before = emitDescriptors();

  test('every server integration is available and installed, once', async () => {
    assert.ok(['http-server', 'express', 'koa', 'fastify'].every((name) => clientHooks.available().includes(name)));
    const installed = installAllPatches({ tracer, include: ['http-server', 'express', 'koa', 'fastify'] });
    assert.deepEqual(installed.sort(), ['express', 'fastify', 'http-server', 'koa']);
    assert.deepEqual(installAllPatches({ tracer, include: ['http-server', 'express', 'koa', 'fastify'] }).sort(), installed);
    const express = require('express') as () => http.RequestListener & { get(p: string, h: unknown): void };
    const app = express();
    app.get('/items/:id', (_req: unknown, res: { send(b: string): void }) => res.send('ok'));
    const server = http.createServer(app);
    const port = await listen(server);
    reset();
    await get(port, '/items/1');
    const [span] = await waitForSpans(finishedSpans, 1);
    await delay(10);
    assert.equal(finishedSpans().length, 1);
    assert.equal(span!.operationName, 'GET /items/:id');
    await close(server);
  });

  test('with the HTTP client traced too: server → client → downstream server, 300 concurrent', async () => {
    installAllPatches({ tracer });
    assert.ok(clientHooks.installed().includes('http-client'));
    const downstream = http.createServer((req, res) => res.end(req.url));
    const downstreamPort = await listen(downstream);
    const express = require('express') as () => http.RequestListener & { get(p: string, h: unknown): void };
    const app = express();
    app.get('/orders/:id', async (req: { params: { id: string } }, res: { send(b: string): void }) => {
      await delay(Math.random() * 5);
      const reply = await fetch(`http://127.0.0.1:${downstreamPort}/stock/${req.params.id}`);
      res.send(await reply.text());
    });
    const server = http.createServer(app);
    const port = await listen(server);
    reset();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    await Promise.all(Array.from({ length: 300 }, (_, i) => get(port, `/orders/${i}`, { agent })));
    agent.destroy();
    // per request: the test's own client span, the order server span, the fetch span, the stock server span
    const spans = await waitForSpans(finishedSpans, 300 * 4);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const stock = spans.filter((s) => s.tags['span.kind'] === 'server' && String(s.tags['http.url']).startsWith('/stock/'));
    assert.equal(stock.length, 300);
    for (const down of stock) {
      const client = byId.get(down.parentSpanId!)!;
      assert.equal(client.tags['span.kind'], 'client');
      const up = byId.get(client.parentSpanId!)!;
      assert.equal(up.tags['http.route'], '/orders/:id');
      assert.equal(up.tags['http.url'], `/orders/${String(down.tags['http.url']).slice('/stock/'.length)}`);
    }
    await close(server);
    await close(downstream);
  });

  test('uninstallAllPatches restores every emit and stops tracing', async () => {
    uninstallAllPatches();
    assert.deepEqual(emitDescriptors(), before);
    const server = http.createServer((_req, res) => res.end('plain'));
    const port = await listen(server);
    reset();
    assert.equal((await get(port, '/after')).body, 'plain');
    await delay(20);
    assert.equal(finishedSpans().length, 0);
    await close(server);
  });
});

describe('the Express 4 patch', () => {
  test('keeps names and arity, and disable() puts the originals back', () => {
    const express4 = require('express4') as { Router: { use: unknown } & (() => { stack: { constructor: { prototype: Record<string, unknown> } }[]; use(fn: unknown): void }) };
    const probe = express4.Router();
    probe.use(() => {});
    const layerProto = probe.stack[0]!.constructor.prototype;
    const originals = { handle_request: layerProto.handle_request, handle_error: layerProto.handle_error, use: express4.Router.use };
    const integration = createExpressIntegration(['express4']);
    assert.equal(integration.enable(integrationContext(tracer)), true);
    const patched = layerProto.handle_request as (...args: unknown[]) => unknown;
    assert.notEqual(patched, originals.handle_request);
    assert.equal(patched.length, (originals.handle_request as () => void).length);
    assert.equal(patched.name, (originals.handle_request as () => void).name);
    assert.equal((layerProto.handle_error as () => void).length, 4);
    integration.disable();
    assert.equal(layerProto.handle_request, originals.handle_request);
    assert.equal(layerProto.handle_error, originals.handle_error);
    assert.equal(express4.Router.use, originals.use);
  });
});
