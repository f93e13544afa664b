// MySQL tracing as an app sees it, against the real MariaDB mysql.test.ts starts (whose password
// is a canary): every byte real exporters send is scanned for it; knex on mysql2 inside an
// Express route; the README's database example, run as a program.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as http from 'node:http';
import { promisify } from 'node:util';
import { initTracer } from '../../src/config/init.js';
import { createExpressIntegration } from '../../src/plugins/express.js';
import { httpServerIntegration } from '../../src/plugins/http-server.js';
import { createMysql2Integration } from '../../src/plugins/mysql2.js';
import { mysqlIntegration } from '../../src/plugins/mysql.js';
import { createTestTracer } from '../../src/testing/index.js';
import type { Tracer } from '../../src/tracer/tracer.js';
import { startHttpCollector } from '../support/http-collector.js';
import type { MariaDb } from '../support/mariadb.js';
import { startUdpReceiver } from '../support/udp-receiver.js';
import type { Mysql2 } from './mysql2-suite.js';
import { close, get, integrationContext, listen, waitForSpans } from './server-support.js';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url);

/** Values bound or inlined into statements: sanitised away, never exported. */
const VALUE_CANARY = 'value-canary-7f3a91';
const WRONG_PASSWORD = 'wrong-canary-pw-52c1';

type Callback = (error: Error | null, rows?: unknown) => void;
interface MysqlConnection {
  query(sql: string, values: unknown[], cb: Callback): void;
  end(cb?: () => void): void;
  on(event: string, listener: () => void): void;
}

/** Every statement and failure an app might produce, through mysql2 and mysql, under `tracer`. */
async function workload(tracer: Tracer, db: MariaDb): Promise<void> {
  const context = integrationContext(tracer);
  const mysql2Integration = createMysql2Integration(['mysql2']);
  assert.equal(mysql2Integration.enable(context), true);
  assert.equal(mysqlIntegration.enable(context), true);
  const mysql2 = require('mysql2/promise') as { createConnection(config: object | string): Promise<{ query(sql: string, values?: unknown[]): Promise<unknown>; execute(sql: string, values?: unknown[]): Promise<unknown>; end(): Promise<void> }> };
  const mysql = require('mysql') as { createConnection(config: object | string): MysqlConnection };
  const uri = `mysql://${db.user}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`;
  try {
    await tracer.startActiveSpan('workload', async () => {
      const conn = await mysql2.createConnection(uri);
      await conn.query('SELECT ? AS v', [VALUE_CANARY]);
      await conn.query(`SELECT '${VALUE_CANARY}' AS v`);
      await conn.execute('SELECT ? AS v', [VALUE_CANARY]);
      await conn.query('SELEC broken').catch(() => {});
      await conn.end();
      await mysql2.createConnection({ host: db.host, port: db.port, user: db.user, password: WRONG_PASSWORD }).then(
        () => assert.fail('connected with a wrong password'),
        (error: { code?: string }) => assert.equal(error.code, 'ER_ACCESS_DENIED_ERROR'),
      );
      const legacy = mysql.createConnection(uri);
      await new Promise<void>((resolve, reject) => legacy.query('SELECT ? AS v', [VALUE_CANARY], (error) => (error ? reject(error) : resolve())));
      legacy.end();
      const denied = mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: WRONG_PASSWORD });
      denied.on('error', () => {});
      await new Promise<void>((resolve) => denied.query('SELECT 1', [], () => resolve()));
    });
  } finally {
    mysql2Integration.disable();
    mysqlIntegration.disable();
  }
  assert.deepEqual(context.faults, []);
}

function assertClean(bytes: Buffer, what: string, db: MariaDb): void {
  for (const secret of [db.password, WRONG_PASSWORD, VALUE_CANARY]) {
    assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `${JSON.stringify(secret)} in the bytes ${what} sent`);
  }
}

export function mysqlAppSuite(database: () => MariaDb): void {
  describe('MySQL spans as exported, and in an app', () => {
    test('no password (of the connection, its URI or a failed login) and no value in any byte the Jaeger UDP exporter sends', async () => {
      const db = database();
      const agent = await startUdpReceiver();
      try {
        const tracer = initTracer({ serviceName: 'orders', global: false, reporter: { agentHost: agent.host, agentPort: agent.port } });
        await workload(tracer, db);
        await tracer.close();
        // UDP: what was sent may still be on its way
        await agent.waitUntil((datagrams) => Buffer.concat(datagrams as Buffer[]).includes(Buffer.from('ER_ACCESS_DENIED_ERROR')));
        const bytes = Buffer.concat(agent.datagrams);
        assert.ok(bytes.includes(Buffer.from('SELECT ? AS v')), 'the statements were exported');
        assert.ok(bytes.includes(Buffer.from('ER_ACCESS_DENIED_ERROR')), 'the failed logins were exported');
        assertClean(bytes, 'the Jaeger UDP exporter', db);
      } finally {
        await agent.close();
      }
    });

    test('... nor in any byte the OTLP/HTTP exporter sends', async () => {
      const db = database();
      const collector = await startHttpCollector(200);
      try {
        const tracer = initTracer({ serviceName: 'orders', global: false, reporter: { exporter: 'otlp-json', otlpEndpoint: `${collector.origin}/v1/traces` } });
        await workload(tracer, db);
        await tracer.close();
        const bytes = Buffer.concat(collector.received.map((request) => Buffer.concat([Buffer.from(JSON.stringify(request.headers)), request.body])));
        assert.ok(bytes.includes(Buffer.from('SELECT ? AS v')), 'the statements were exported');
        assertClean(bytes, 'the OTLP exporter', db);
      } finally {
        await collector.close();
      }
    });

    test('knex on mysql2 inside an Express route: the query spans are children of the server span', async () => {
      const db = database();
      const { tracer, finishedSpans } = createTestTracer();
      const context = integrationContext(tracer);
      const mysql2Integration = createMysql2Integration(['mysql2']);
      const express = createExpressIntegration(['express']);
      for (const integration of [httpServerIntegration, express, mysql2Integration]) assert.equal(integration.enable(context), true);
      const knex = (require('knex') as (config: object) => KnexLike)({
        client: 'mysql2',
        connection: { host: db.host, port: db.port, user: db.user, password: db.password, database: db.database },
        pool: { min: 0, max: 2 },
      });
      const app = (require('express') as () => ExpressLike)();
      app.get('/orders/:id', async (req: { params: { id: string } }, res: { json(body: unknown): void }) => {
        const row = await knex.raw('SELECT ? AS id, ? AS customer', [Number(req.params.id), VALUE_CANARY]);
        res.json(row);
      });
      const server = http.createServer(app as unknown as http.RequestListener);
      const port = await listen(server);
      try {
        const [first, second] = await Promise.all([get(port, '/orders/1'), get(port, '/orders/2')]);
        assert.equal(first.status, 200);
        assert.equal(second.status, 200);
        const spans = await waitForSpans(finishedSpans, 4);
        const servers = spans.filter((s) => s.tags['span.kind'] === 'server');
        const queries = spans.filter((s) => s.tags['component'] === 'mysql2' && s.tags['db.statement'] === 'SELECT ? AS id, ? AS customer');
        assert.equal(servers.length, 2);
        assert.equal(queries.length, 2, JSON.stringify(spans.map((s) => [s.operationName, s.tags['db.statement']])));
        // whatever else knex runs (connects, its own checks) belongs to a request's trace too
        const traces = new Set(servers.map((s) => s.traceId));
        for (const span of spans.filter((s) => s.tags['component'] === 'mysql2')) assert.ok(traces.has(span.traceId), `${span.operationName} in a request's trace`);
        assert.deepEqual(new Set(queries.map((q) => q.parentSpanId)), new Set(servers.map((s) => s.spanId)));
        for (const query of queries) {
          const server = servers.find((s) => s.spanId === query.parentSpanId)!;
          assert.equal(query.traceId, server.traceId);
          assert.equal(query.tags['db.statement'], 'SELECT ? AS id, ? AS customer');
        }
        assert.ok(!JSON.stringify(spans).includes(VALUE_CANARY));
      } finally {
        await close(server);
        await knex.destroy();
        for (const integration of [mysql2Integration, express, httpServerIntegration]) integration.disable();
      }
      assert.deepEqual(context.faults, []);
    });

    test('the README database example runs and prints its statements sanitised, without the password', async () => {
      const db = database();
      const readme = readFileSync(new URL('README.md', root), 'utf8');
      const match = /<!-- databases: examples\/databases\.ts[^>]*-->\n```ts\n([\s\S]*?)```/.exec(readme);
      assert.ok(match, 'README has the databases block');
      assert.equal(match[1], readFileSync(new URL('examples/databases.ts', root), 'utf8'));
      const url = `mysql://${db.user}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`;
      const { stderr, stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/databases.ts'], {
        cwd: root, timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: url },
      });
      const output = stdout + stderr;
      const lines = stderr.split('\n');
      const indent = (line: string): number => line.length - line.trimStart().length;
      const checkout = lines.findIndex((line) => line.includes('checkout'));
      assert.ok(checkout >= 0, `a checkout line in:\n${stderr}`);
      for (const verb of ['SELECT', 'UPDATE']) {
        const line = lines.findIndex((text, i) => i > checkout && text.includes(verb));
        assert.ok(line > checkout && indent(lines[line]!) > indent(lines[checkout]!), `${verb} drawn inside checkout in:\n${stderr}`);
      }
      assert.ok(!output.includes(db.password), 'no password in the output');
      assert.ok(!output.includes('alice'), 'no bound value in the output');
    });
  });
}

interface KnexLike {
  raw(sql: string, bindings: unknown[]): Promise<unknown>;
  destroy(): Promise<void>;
}
interface ExpressLike {
  get(path: string, handler: (req: { params: { id: string } }, res: { json(body: unknown): void }) => unknown): void;
}
