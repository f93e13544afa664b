// The register preload decides per loaded copy, not per working directory: an Express 4 app gets
// route-named server spans under `-r` and `--import` when started from an unrelated directory
// (`cd / && node -r …/register /srv/app/server.js`), from a directory holding Express 5, when its
// Express is found through NODE_PATH, and when Express 4 and 5 run in one process.
// The apps live in a temporary directory outside the repository, with a real copy of Express 4
// installed as `express` (its dependencies linked to the repository's).
import { after, before, describe, test } from 'node:test';
import { agentEnv, runApp } from '../support/run-node.js';
import type { NodeRun } from '../support/run-node.js';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCompactEmitBatch, decodedTagOf } from '../peers/jaeger-thrift-decode.js';
import type { DecodedSpan } from '../peers/jaeger-thrift-decode.js';
import { startUdpReceiver } from '../support/udp-receiver.js';
import type { UdpReceiver } from '../support/udp-receiver.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const repoModules = path.join(repoRoot, 'node_modules');
const registerCjs = path.join(repoRoot, 'dist', 'cjs', 'register.js');
const registerEsm = path.join(repoRoot, 'dist', 'esm', 'register.js');
let root: string;
let app4: string; // an app folder with Express 4 as `express`
let bare: string; // an app folder with no node_modules (its Express comes through NODE_PATH)
let agent: UdpReceiver;

// Serves GET /users/42 to itself on each app given, then exits.
const serve = (apps: string): string => `
const http = require('node:http');
(async () => {
  for (const served of ${apps}) {
    const server = http.createServer(served);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const reply = await fetch('http://127.0.0.1:' + server.address().port + '/users/42');
    console.log(await reply.text());
    await new Promise((resolve) => server.close(resolve));
  }
})();`;

const express4App = `const express = require('express');
const app = express();
app.get('/users/:id', (req, res) => res.send('v' + require('express/package.json').version.split('.')[0] + ' user ' + req.params.id));
${serve('[app]')}`;

const esmExpress4App = `import { createRequire } from 'node:module';
import express from 'express';
const require = createRequire(import.meta.url);
const app = express();
app.get('/users/:id', (req, res) => res.send('v' + require('express/package.json').version.split('.')[0] + ' user ' + req.params.id));
${serve('[app]').replace("const http = require('node:http');", "import http from 'node:http';")}`;

// Express 4 from the app's own node_modules, Express 5 from the repository's, in one process.
const twoMajorsApp = (express5: string): string => `const express4 = require('express');
const express5 = require(${JSON.stringify(express5)});
const four = express4();
four.get('/v4/users/:id', (req, res) => res.send('v4 user ' + req.params.id));
const five = express5();
five.get('/v5/users/:id', (req, res) => res.send('v5 user ' + req.params.id));
const http = require('node:http');
(async () => {
  for (const [app, prefix] of [[four, '/v4'], [five, '/v5']]) {
    const server = http.createServer(app);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const reply = await fetch('http://127.0.0.1:' + server.address().port + prefix + '/users/42');
    console.log(await reply.text());
    await new Promise((resolve) => server.close(resolve));
  }
})();`;

/**
 * Installs a copy of the repository's Express 4 as `<dir>/node_modules/express`: its own files
 * copied (so the package's path says `express`), its dependencies linked to the repository's.
 */
function installExpress4(dir: string): void {
  const modules = path.join(dir, 'node_modules');
  const source = path.join(repoModules, 'express4');
  const copy = path.join(modules, 'express');
  cpSync(source, copy, { recursive: true, filter: (file) => path.relative(source, file) !== 'node_modules' });
  if (existsSync(path.join(source, 'node_modules'))) symlinkSync(path.join(source, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  const { dependencies } = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    if (existsSync(path.join(source, 'node_modules', name))) continue; // reached through the linked nested folder
    symlinkSync(path.join(repoModules, name), path.join(modules, name), 'dir');
  }
}

function run(args: string[], cwd: string, service: string, env: NodeJS.ProcessEnv = {}): Promise<NodeRun> {
  return runApp(args, {
    cwd,
    env: { ...agentEnv(service, agent), ...env },
  });
}

const tagOf = decodedTagOf;

async function serverSpansOf(service: string, count: number): Promise<DecodedSpan[]> {
  const of = (datagrams: readonly Buffer[]): DecodedSpan[] => datagrams
    .map((d) => decodeCompactEmitBatch(d).batch)
    .filter((batch) => batch.process.serviceName === service)
    .flatMap((batch) => batch.spans)
    .filter((span) => tagOf(span, 'span.kind') === 'server');
  await agent.waitUntil((datagrams) => of(datagrams).length >= count, 5000);
  return of(agent.datagrams);
}

async function expectRouteNamed(args: string[], cwd: string, service: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const result = await run(args, cwd, service, env);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), 'v4 user 42');
  const [span] = await serverSpansOf(service, 1);
  assert.equal(span!.operationName, 'GET /users/:id');
  assert.equal(tagOf(span!, 'http.route'), '/users/:id');
  assert.equal(tagOf(span!, 'component'), 'express');
}

before(async () => {
  // Outside the repository: nothing resolves through the repository's node_modules by accident.
  root = mkdtempSync(path.join(os.tmpdir(), 'oai-preload-'));
  app4 = path.join(root, 'srv', 'app');
  bare = path.join(root, 'srv', 'bare');
  mkdirSync(app4, { recursive: true });
  mkdirSync(bare, { recursive: true });
  installExpress4(app4);
  writeFileSync(path.join(app4, 'server.js'), express4App);
  writeFileSync(path.join(app4, 'server.mjs'), esmExpress4App);
  writeFileSync(path.join(app4, 'two-majors.js'), twoMajorsApp(path.join(repoModules, 'express')));
  writeFileSync(path.join(bare, 'server.js'), express4App);
  agent = await startUdpReceiver();
});
after(async () => {
  rmSync(root, { recursive: true, force: true });
  await agent.close();
});

describe('the preload finds the Express the app loads, wherever it is started from', () => {
  test('-r from an unrelated working directory (/)', async () => {
    await expectRouteNamed(['-r', registerCjs, path.join(app4, 'server.js')], '/', 'r-from-root');
  });

  test('--import from an unrelated working directory, ESM app', async () => {
    await expectRouteNamed(['--import', registerEsm, path.join(app4, 'server.mjs')], '/', 'import-from-root');
  });

  test('-r and --import from a directory holding Express 5 (the repository)', async () => {
    await expectRouteNamed(['-r', registerCjs, path.join(app4, 'server.js')], repoRoot, 'r-from-express5-dir');
    await expectRouteNamed(['--import', registerEsm, path.join(app4, 'server.mjs')], repoRoot, 'import-from-express5-dir');
  });

  test('an app whose Express is found through NODE_PATH', async () => {
    await expectRouteNamed(['-r', registerCjs, path.join(bare, 'server.js')], '/', 'node-path', { NODE_PATH: path.join(app4, 'node_modules') });
  });

  test('Express 4 and Express 5 in one process: each named by its own mechanism', async () => {
    const result = await run(['-r', registerCjs, path.join(app4, 'two-majors.js')], '/', 'two-majors');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), ['v4 user 42', 'v5 user 42']);
    const spans = await serverSpansOf('two-majors', 2);
    assert.deepEqual(spans.map((s) => s.operationName).sort(), ['GET /v4/users/:id', 'GET /v5/users/:id']);
  });
});
