// The `mariadb` connector (promise API, through our hook) against a real MariaDB; mysql.test.ts
// starts the server. Also: mysql2 < 3.20, mysql and mariadb imported from ESM, in a child process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createTestTracer } from '../../src/testing/index.js';
import { mariadbIntegration } from '../../src/plugins/mariadb.js';
import { spanStore } from '../../src/tracer/active-context.js';
import type { MariaDb } from '../support/mariadb.js';
import { runNode } from '../support/run-node.js';
import { errorShape, sqlTracing, tagOf } from './mysql2-suite.js';
import { integrationContext } from './server-support.js';
import type { TestContext } from './server-support.js';

const require = createRequire(import.meta.url);
interface Connection {
  query(sql: string | object, values?: unknown[]): Promise<unknown>;
  execute(sql: string, values?: unknown[]): Promise<unknown>;
  batch(sql: string, values: unknown[][]): Promise<unknown>;
  queryStream(sql: string, values?: unknown[]): NodeJS.ReadableStream;
  beginTransaction(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  end(): Promise<void>;
}
interface Pool {
  query(sql: string, values?: unknown[]): Promise<unknown>;
  getConnection(): Promise<Connection & { release(): Promise<void> }>;
  end(): Promise<void>;
}
interface Mariadb {
  createConnection(config: object | string): Promise<Connection>;
  createPool(config: object): Pool;
}

const activeSpanId = (): string | undefined => spanStore.getStore()?.context().toSpanId();

export function mariadbSuite(database: () => MariaDb): void {
  const { tracer, finishedSpans, reset, config, inParent, statements } = sqlTracing(database, 'mariadb');
  let context: TestContext;
  let mariadb: Mariadb;
  let connection: Connection;

  describe('mariadb (our hook)', () => {
    before(async () => {
      context = integrationContext(tracer);
      assert.equal(mariadbIntegration.enable(context), true);
      mariadb = require('mariadb') as Mariadb;
      connection = await mariadb.createConnection(config());
      await connection.query('DROP TABLE IF EXISTS pets');
      await connection.query('CREATE TABLE pets (id INT PRIMARY KEY, name VARCHAR(50))');
    });
    after(async () => {
      await connection.end();
      mariadbIntegration.disable();
      assert.deepEqual(context.faults, []);
    });

    test('connect, query, execute, batch and transactions: spans under the caller, sanitised', async () => {
      reset();
      const db = database();
      const parentId = await inParent('parent', async (parent) => {
        const conn = await mariadb.createConnection(`mariadb://${db.user}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`);
        assert.equal(activeSpanId(), parent.context().toSpanId());
        await conn.query("SELECT ? AS a, 'inline-secret' AS b", ['value-secret']);
        await conn.execute('SELECT ? AS a', ['value-secret']);
        await conn.beginTransaction();
        await conn.batch('INSERT INTO pets VALUES (?, ?)', [[1, 'rex'], [2, 'tom']]);
        await conn.rollback();
        await conn.beginTransaction();
        await conn.query({ sql: 'INSERT INTO pets VALUES (?, ?)' }, [1, 'rex']);
        await conn.commit();
        assert.equal(activeSpanId(), parent.context().toSpanId());
        await conn.end();
        return parent.context().toSpanId();
      });
      const connect = finishedSpans().find((s) => s.operationName === 'connect');
      assert.equal(connect?.parentSpanId, parentId);
      assert.equal(tagOf(connect, 'db.user'), db.user);
      assert.ok(connect!.duration > 0);
      const spans = statements();
      assert.deepEqual(spans.map((s) => s.operationName), ['SELECT', 'SELECT', 'START', 'INSERT', 'ROLLBACK', 'START', 'INSERT', 'COMMIT']);
      for (const span of spans) assert.equal(span.parentSpanId, parentId);
      assert.equal(tagOf(spans[0], 'db.statement'), 'SELECT ? AS a, ? AS b');
      assert.equal(tagOf(spans[0], 'db.row_count'), 1);
      assert.equal(tagOf(spans[0], 'db.instance'), db.database);
      assert.equal(tagOf(spans[0], 'peer.port'), db.port);
      assert.equal(tagOf(spans[0], 'peer.ipv4'), '127.0.0.1');
      assert.equal(tagOf(spans[6], 'db.row_count'), 1);
      assert.ok(!JSON.stringify(finishedSpans()).includes('secret'));
      assert.ok(!JSON.stringify(finishedSpans()).includes(db.password));
    });

    test('a pool of one connection, 50 concurrent queries from 50 parents; pooled connections', async () => {
      reset();
      const pool = mariadb.createPool({ ...config(), connectionLimit: 1 });
      try {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => inParent(`parent-${i}`, async (parent) => {
          if (i % 5 === 0) {
            const conn = await pool.getConnection();
            await conn.query('SELECT ? AS i', [i]);
            await conn.release();
          } else {
            await pool.query('SELECT ? AS i', [i]);
          }
          return { id: parent.context().toSpanId(), active: activeSpanId() };
        })));
        for (const { id, active } of results) assert.equal(active, id);
        const spans = statements();
        assert.equal(spans.length, 50);
        assert.equal(new Set(spans.map((s) => s.parentSpanId)).size, 50);
        const parents = new Set(finishedSpans().filter((s) => s.operationName.startsWith('parent-')).map((s) => s.spanId));
        for (const span of spans) {
          assert.ok(parents.has(span.parentSpanId!));
          assert.equal(tagOf(span, 'db.instance'), database().database);
        }
      } finally {
        await pool.end();
      }
    });

    test('queryStream: one span until the stream ends, its events in the caller\'s context', async () => {
      reset();
      const seen: (string | undefined)[] = [];
      const parentId = await inParent('parent', async (parent) => {
        await new Promise<void>((resolve, reject) => {
          const stream = connection.queryStream('SELECT 1 AS a UNION SELECT 2');
          stream.on('data', () => seen.push(activeSpanId()));
          stream.on('error', reject);
          stream.on('end', () => resolve());
        });
        return parent.context().toSpanId();
      });
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(seen, [parentId, parentId]);
      const spans = statements();
      assert.equal(spans.length, 1);
      assert.equal(spans[0]?.parentSpanId, parentId);
    });

    test('failures: the same rejection as without tracing, one error span each', async () => {
      const failing: [string, (conn: Connection) => Promise<unknown>, string][] = [
        ['syntax error', (conn) => conn.query('SELEC 1'), 'ER_PARSE_ERROR'],
        ['unknown table', (conn) => conn.query('SELECT * FROM nowhere'), 'ER_NO_SUCH_TABLE'],
        ['duplicate key', (conn) => conn.query("INSERT INTO pets VALUES (1, 'again')"), 'ER_DUP_ENTRY'],
        ['prepare fails', (conn) => conn.execute('SELECT * FROM nowhere WHERE id = ?', [1]), 'ER_NO_SUCH_TABLE'],
      ];
      const settle = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => assert.fail('resolved'), (error: unknown) => error);
      // the connection id in mariadb's messages differs from connection to connection
      const shape = (error: unknown): Record<string, unknown> => ({ ...errorShape(error), message: String((error as Error).message).replace(/conn:\d+/, 'conn:N') });
      for (const [label, fn, code] of failing) {
        mariadbIntegration.disable();
        const plain = await settle(fn(connection));
        // Turned on again, the hook wraps the connector's factories again: a new connection is traced.
        assert.equal(mariadbIntegration.enable(context), true);
        const traced = await (require('mariadb') as Mariadb).createConnection(config()).then(async (conn) => {
          reset();
          try {
            return await settle(fn(conn));
          } finally {
            await conn.end();
          }
        });
        assert.deepEqual(shape(traced), shape(plain), label);
        assert.equal((traced as { code?: string }).code, code, label);
        const spans = statements();
        assert.equal(spans.length, 1, label);
        assert.equal(tagOf(spans[0], 'error'), true, label);
        assert.equal(tagOf(spans[0], 'db.error.code'), code, label);
      }
      mariadb = require('mariadb') as Mariadb;
      await connection.end();
      connection = await mariadb.createConnection(config());
      reset();
      const denied = await mariadb.createConnection({ ...config(), password: 'not-the-password' }).then(() => null, (error: { code?: string }) => error);
      assert.equal(denied?.code, 'ER_ACCESS_DENIED_ERROR');
      assert.equal(tagOf(finishedSpans().find((s) => s.operationName === 'connect'), 'db.error.code'), 'ER_ACCESS_DENIED_ERROR');
      reset();
      const refused = await mariadb.createConnection({ ...config(), port: 1, connectTimeout: 2000 }).then(() => null, (error: { code?: string }) => error);
      assert.ok(refused !== null, 'refused');
      assert.equal(tagOf(finishedSpans().find((s) => s.operationName === 'connect'), 'error'), true);
    });

    test('the callback API: statements, transactions and a pool of one, callbacks in their caller\'s context', async () => {
      reset();
      type Cb = (error: Error | null, rows?: unknown) => void;
      interface CallbackConnection {
        query(sql: string, values: unknown[] | Cb, cb?: Cb): void;
        beginTransaction(cb: Cb): void;
        commit(cb: Cb): void;
        end(cb?: () => void): void;
        on(event: string, listener: (...args: unknown[]) => void): void;
      }
      interface CallbackPool {
        query(sql: string, values: unknown[], cb: Cb): void;
        getConnection(cb: (error: Error | null, conn: CallbackConnection & { release(cb?: () => void): void }) => void): void;
        end(cb?: () => void): void;
      }
      const callbackApi = require('mariadb/callback') as { createConnection(config: object): CallbackConnection; createPool(config: object): CallbackPool };
      const conn = callbackApi.createConnection(config());
      const pool = callbackApi.createPool({ ...config(), connectionLimit: 1 });
      const done = (run: (cb: Cb) => void): Promise<string | undefined> => new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve(activeSpanId()))));
      try {
        const parentId = await inParent('parent', async (parent) => {
          assert.equal(await done((cb) => conn.query('SELECT ? AS a', ['cb-secret'], cb)), parent.context().toSpanId());
          assert.equal(await done((cb) => conn.beginTransaction(cb)), parent.context().toSpanId());
          assert.equal(await done((cb) => conn.commit(cb)), parent.context().toSpanId());
          return parent.context().toSpanId();
        });
        const own = statements();
        assert.deepEqual(own.map((s) => s.operationName), ['SELECT', 'START', 'COMMIT']);
        for (const span of own) assert.equal(span.parentSpanId, parentId);
        assert.equal(tagOf(own[0], 'db.statement'), 'SELECT ? AS a');
        assert.equal(tagOf(own[0], 'db.instance'), database().database);
        reset();
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => inParent(`parent-${i}`, async (parent) => {
          const active = i % 4 === 0
            ? await new Promise<string | undefined>((resolve, reject) => pool.getConnection((error, pooled) => {
              if (error) return reject(error);
              const seen = activeSpanId();
              pooled.query('SELECT ? AS i', [i], (queryError) => {
                pooled.release();
                return queryError ? reject(queryError) : resolve(seen);
              });
            }))
            : await done((cb) => pool.query('SELECT ? AS i', [i], cb));
          return { id: parent.context().toSpanId(), active };
        })));
        for (const { id, active } of results) assert.equal(active, id);
        const spans = statements();
        assert.equal(spans.length, 20);
        assert.equal(new Set(spans.map((s) => s.parentSpanId)).size, 20);
        assert.ok(!JSON.stringify(finishedSpans()).includes('cb-secret'));
      } finally {
        conn.end();
        await new Promise<void>((resolve) => pool.end(() => resolve()));
      }
    });

    test('ESM importers: mysql2 < 3.20, mysql and mariadb imported after installAllPatches are traced', async () => {
      const db = database();
      const url = `mysql://${db.user}:${encodeURIComponent(db.password)}@${db.host}:${db.port}/${db.database}`;
      const { code, stdout, stderr } = await runNode(`
        import { createTestTracer } from './src/testing/index.ts';
        import { installAllPatches } from './src/plugins/install.ts';
        const { tracer, finishedSpans } = createTestTracer();
        installAllPatches({ tracer, include: ['mysql', 'mariadb'] });
        const { createMysql2Integration } = await import('./src/plugins/mysql2.ts');
        const { default: mysql } = await import('mysql');
        const { default: mariadb } = await import('mariadb');
        const { default: mysql2Old } = await import('mysql2-old');
        const old = createMysql2Integration(['mysql2-old']);
        old.enable({ options: { ignoreUrls: [], ignorePaths: [], errorOn4xx: false, callerNameHeaders: [], recordSqlValues: false }, tracer: () => tracer, fault: (n, e) => console.error('fault', n, e) });
        const url = ${JSON.stringify(url)};
        await tracer.startActiveSpan('esm', async (span) => {
          const legacy = mysql.createConnection(url);
          await new Promise((resolve, reject) => legacy.query('SELECT 1', (e) => (e ? reject(e) : resolve())));
          legacy.end();
          const conn = await mariadb.createConnection(url.replace('mysql:', 'mariadb:'));
          await conn.query('SELECT 2');
          await conn.end();
          const older = mysql2Old.createConnection(url);
          await new Promise((resolve, reject) => older.query('SELECT 3', (e) => (e ? reject(e) : resolve())));
          older.end();
          span.finish();
        });
        console.log(JSON.stringify(finishedSpans().filter((s) => s.tags['db.statement']).map((s) => [s.tags.component, s.tags['db.statement']])));
      `);
      assert.equal(code, 0, stderr);
      assert.deepEqual(JSON.parse(stdout.trim().split('\n').pop()!), [['mysql', 'SELECT ?'], ['mariadb', 'SELECT ?'], ['mysql2', 'SELECT ?']]);
    });
  });
}
