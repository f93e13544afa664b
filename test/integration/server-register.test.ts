// Apps preloaded with `opentracing-async-instrumentation/register` (the built package: `npm test`
// builds first) get server spans with route names with no code change: an ESM app that imports
// Koa and a CommonJS app that requires it (Koa publishes nothing, so this is the module hook at
// work), plus Express 5 and Fastify 5 through their own channels. Spans arrive over UDP.
import { after, before, describe, test } from 'node:test';
import { agentEnv, runApp } from '../support/run-node.js';
import type { NodeRun } from '../support/run-node.js';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCompactEmitBatch, decodedTagOf } from '../peers/jaeger-thrift-decode.js';
import type { DecodedSpan } from '../peers/jaeger-thrift-decode.js';
import { startUdpReceiver } from '../support/udp-receiver.js';
import type { UdpReceiver } from '../support/udp-receiver.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let agent: UdpReceiver;

// Each app serves one request to itself (through fetch, so the client span is the parent), then exits.
const serveOnce = (listen: string, close: string): string => `
const server = ${listen};
server.listen(0, '127.0.0.1', async () => {
  const reply = await fetch('http://127.0.0.1:' + server.address().port + '/users/42?token=t');
  console.log(await reply.text());
  ${close};
});`;

const apps: Record<string, string> = {
  'koa-esm.mjs': `import http from 'node:http';
import Koa from 'koa';
import { Router } from '@koa/router';
const app = new Koa();
const router = new Router();
router.get('/users/:id', (ctx) => { ctx.body = 'user ' + ctx.params.id; });
app.use(router.routes());
${serveOnce('http.createServer(app.callback())', 'server.close()')}`,
  'koa-cjs.cjs': `const http = require('node:http');
const Koa = require('koa');
const { Router } = require('@koa/router');
const app = new Koa();
const router = new Router();
router.get('/users/:id', (ctx) => { ctx.body = 'user ' + ctx.params.id; });
app.use(router.routes());
${serveOnce('http.createServer(app.callback())', 'server.close()')}`,
  'express-esm.mjs': `import http from 'node:http';
import express from 'express';
const app = express();
app.get('/users/:id', (req, res) => res.send('user ' + req.params.id));
${serveOnce('http.createServer(app)', 'server.close()')}`,
  'fastify-esm.mjs': `import Fastify from 'fastify';
const app = Fastify();
app.get('/users/:id', async (request) => 'user ' + request.params.id);
await app.ready();
${serveOnce('app.server', 'await app.close()')}`,
};

function run(app: string, service: string): Promise<NodeRun> {
  return runApp(['--import', 'opentracing-async-instrumentation/register', path.join(dir, app)], {
    cwd: repoRoot,
    env: agentEnv(service, agent),
  });
}

const tagOf = decodedTagOf;

async function spansOf(service: string, count: number): Promise<DecodedSpan[]> {
  const of = (datagrams: readonly Buffer[]): DecodedSpan[] => datagrams
    .map((d) => decodeCompactEmitBatch(d).batch)
    .filter((batch) => batch.process.serviceName === service)
    .flatMap((batch) => batch.spans);
  await agent.waitUntil((datagrams) => of(datagrams).length >= count, 5000);
  return of(agent.datagrams);
}

before(async () => {
  mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
  dir = mkdtempSync(path.join(repoRoot, '.tmp', 'server-register-'));
  for (const [name, source] of Object.entries(apps)) writeFileSync(path.join(dir, name), source);
  agent = await startUdpReceiver();
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await agent.close();
});

describe('server spans under the register preload', () => {
  for (const [app, component] of [['koa-esm.mjs', 'koa'], ['koa-cjs.cjs', 'koa'], ['express-esm.mjs', 'express'], ['fastify-esm.mjs', 'fastify']] as const) {
    test(`${app}: a route-named server span, child of the app's own fetch span`, async () => {
      const service = app.replace(/\W/g, '-');
      const result = await run(app, service);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), 'user 42');
      const spans = await spansOf(service, 2);
      assert.equal(spans.length, 2);
      const server = spans.find((s) => tagOf(s, 'span.kind') === 'server')!;
      const client = spans.find((s) => tagOf(s, 'span.kind') === 'client')!;
      assert.equal(server.operationName, 'GET /users/:id');
      assert.equal(tagOf(server, 'http.route'), '/users/:id');
      assert.equal(tagOf(server, 'component'), component);
      assert.equal(tagOf(server, 'http.url'), '/users/42?token=REDACTED');
      assert.equal(server.parentSpanId, client.spanId);
      assert.equal(server.traceIdLow, client.traceIdLow);
    });
  }
});
