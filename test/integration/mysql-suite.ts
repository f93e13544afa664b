// mysql 2.x (through our hook) against a real MariaDB; mysql.test.ts starts the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mysqlIntegration } from '../../src/plugins/mysql.js';
import { spanStore } from '../../src/tracer/active-context.js';
import type { MariaDb } from '../support/mariadb.js';
import { errorShape, sqlTracing, tagOf } from './mysql2-suite.js';
import { integrationContext } from './server-support.js';
import type { TestContext } from './server-support.js';

const require = createRequire(import.meta.url);
type Callback = (error: (Error & Record<string, unknown>) | null, rows?: unknown) => void;
interface Query {
  on(event: string, listener: (...args: unknown[]) => void): Query;
  stream(): NodeJS.ReadableStream;
}
interface Connection {
  query(sql: string, values?: unknown[] | Callback, cb?: Callback): Query;
  connect(cb: (error: Error | null) => void): void;
  beginTransaction(cb: (error: Error | null) => void): void;
  commit(cb: (error: Error | null) => void): void;
  end(cb?: () => void): void;
  destroy(): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}
interface Pool {
  query(sql: string, values: unknown[], cb: Callback): void;
  end(cb?: () => void): void;
}
interface Mysql {
  createConnection(config: object): Connection;
  createPool(config: object): Pool;
}

const activeSpanId = (): string | undefined => spanStore.getStore()?.context().toSpanId();

export function mysqlSuite(database: () => MariaDb): void {
  const { tracer, finishedSpans, reset, config, inParent, statements } = sqlTracing(database, 'mysql');
  let context: TestContext;
  let mysql: Mysql;
  let connection: Connection;
  const run = (fn: (cb: Callback) => void): Promise<{ error: (Error & Record<string, unknown>) | null; rows: unknown; args: number; active: string | undefined }> =>
    new Promise((resolve) => fn(function (error, rows) {
      resolve({ error, rows, args: arguments.length, active: activeSpanId() });
    }));

  describe('mysql 2.x (our hook)', () => {
    before(async () => {
      context = integrationContext(tracer);
      assert.equal(mysqlIntegration.enable(context), true);
      mysql = require('mysql') as Mysql;
      connection = mysql.createConnection(config());
      assert.equal((await run((cb) => connection.query('DROP TABLE IF EXISTS people', cb))).error, null);
      assert.equal((await run((cb) => connection.query('CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(50))', cb))).error, null);
    });
    after(async () => {
      await new Promise<void>((resolve) => connection.end(() => resolve()));
      mysqlIntegration.disable();
      assert.deepEqual(context.faults, []);
    });

    test('connect and query: spans under the caller, callbacks in the caller\'s context', async () => {
      reset();
      const conn = mysql.createConnection(config());
      const outcome = await inParent('parent', async (parent) => {
        const connected = await new Promise<string | undefined>((resolve, reject) => conn.connect((error) => (error ? reject(error) : resolve(activeSpanId()))));
        const result = await run((cb) => conn.query("SELECT ? AS a, 'inline-secret' AS b", ['value-secret'], cb));
        return { connected, result, parent: parent.context().toSpanId() };
      });
      conn.end();
      assert.equal(outcome.connected, outcome.parent);
      assert.equal(outcome.result.active, outcome.parent);
      assert.deepEqual(JSON.parse(JSON.stringify(outcome.result.rows)), [{ a: 'value-secret', b: 'inline-secret' }]);
      const connect = finishedSpans().find((s) => s.operationName === 'connect');
      assert.equal(connect?.parentSpanId, outcome.parent);
      assert.equal(tagOf(connect, 'component'), 'mysql');
      assert.ok(connect!.duration > 0);
      const [span] = statements();
      assert.equal(span?.operationName, 'SELECT');
      assert.equal(span?.parentSpanId, outcome.parent);
      assert.equal(tagOf(span, 'db.statement'), 'SELECT ? AS a, ? AS b');
      assert.equal(tagOf(span, 'db.user'), database().user);
      assert.equal(tagOf(span, 'db.instance'), database().database);
      assert.equal(tagOf(span, 'peer.port'), database().port);
      assert.equal(tagOf(span, 'db.row_count'), 1);
      assert.ok(!JSON.stringify(finishedSpans()).includes('secret'));
      assert.ok(!JSON.stringify(finishedSpans()).includes(database().password));
    });

    test('a pool of one connection, 50 concurrent queries from 50 parents', async () => {
      reset();
      const pool = mysql.createPool({ ...config(), connectionLimit: 1 });
      try {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => inParent(`parent-${i}`, (parent) =>
          run((cb) => pool.query('SELECT ? AS i', [i], cb)).then((r) => ({ id: parent.context().toSpanId(), active: r.active })))));
        for (const { id, active } of results) assert.equal(active, id);
        const spans = statements();
        assert.equal(spans.length, 50);
        assert.equal(new Set(spans.map((s) => s.parentSpanId)).size, 50);
        const parents = new Set(finishedSpans().filter((s) => s.operationName.startsWith('parent-')).map((s) => s.spanId));
        for (const span of spans) assert.ok(parents.has(span.parentSpanId!));
      } finally {
        await new Promise<void>((resolve) => pool.end(() => resolve()));
      }
    });

    test('row events and streams in the caller\'s context; transactions', async () => {
      reset();
      const seen: (string | undefined)[] = [];
      const parentId = await inParent('parent', async (parent) => {
        await new Promise<void>((resolve, reject) => {
          connection.query('SELECT 1 AS a UNION SELECT 2').on('result', () => seen.push(activeSpanId())).on('error', reject).on('end', () => resolve());
        });
        await new Promise<void>((resolve, reject) => {
          const stream = connection.query('SELECT 3 AS a').stream();
          stream.on('data', () => seen.push(activeSpanId()));
          stream.on('error', reject);
          stream.on('end', () => resolve());
        });
        await new Promise<void>((resolve, reject) => connection.beginTransaction((e) => (e ? reject(e) : resolve())));
        await run((cb) => connection.query('INSERT INTO people VALUES (?, ?)', [1, 'ann'], cb));
        await new Promise<void>((resolve, reject) => connection.commit((e) => (e ? reject(e) : resolve())));
        return parent.context().toSpanId();
      });
      assert.deepEqual(seen, [parentId, parentId, parentId]);
      assert.deepEqual(statements().map((s) => s.operationName), ['SELECT', 'SELECT', 'START', 'INSERT', 'COMMIT']);
    });

    test('failures: the same error as without tracing, one error span each', async () => {
      const failing: [string, (cb: Callback) => void, string][] = [
        ['syntax error', (cb) => connection.query('SELEC 1', cb), 'ER_PARSE_ERROR'],
        ['unknown table', (cb) => connection.query('SELECT * FROM nowhere', cb), 'ER_NO_SUCH_TABLE'],
        ['duplicate key', (cb) => connection.query("INSERT INTO people VALUES (1, 'x')", cb), 'ER_DUP_ENTRY'],
        ['timeout', (cb) => (connection as unknown as { query(o: object, cb: Callback): void }).query({ sql: 'SELECT SLEEP(0.3)', timeout: 30 }, cb), 'PROTOCOL_SEQUENCE_TIMEOUT'],
      ];
      for (const [label, fn, code] of failing) {
        if (label === 'timeout') {
          // a timeout ends the connection: give each run its own
          connection.destroy();
          connection = mysql.createConnection(config());
          connection.on('error', () => {});
        }
        mysqlIntegration.disable();
        const plain = await run(fn);
        if (label === 'timeout') {
          connection = mysql.createConnection(config());
          connection.on('error', () => {});
        }
        assert.equal(mysqlIntegration.enable(context), true);
        reset();
        const traced = await run(fn);
        assert.deepEqual(errorShape(traced.error), errorShape(plain.error), label);
        assert.equal(traced.args, plain.args, label);
        assert.equal(traced.error?.code, code, label);
        const spans = statements();
        assert.equal(spans.length, 1, label);
        assert.equal(tagOf(spans[0], 'error'), true, label);
        assert.equal(tagOf(spans[0], 'db.error.code'), code, label);
      }
      connection = mysql.createConnection(config());
      // access denied and refused: the connect span fails, and so does the query that implied it
      reset();
      const denied = mysql.createConnection({ ...config(), password: 'not-the-password' });
      denied.on('error', () => {});
      const deniedResult = await run((cb) => denied.query('SELECT 1', cb));
      assert.equal(deniedResult.error?.code, 'ER_ACCESS_DENIED_ERROR');
      const connect = finishedSpans().find((s) => s.operationName === 'connect');
      assert.equal(tagOf(connect, 'db.error.code'), 'ER_ACCESS_DENIED_ERROR');
      reset();
      const refused = mysql.createConnection({ ...config(), port: 1 });
      refused.on('error', () => {});
      assert.equal((await run((cb) => refused.query('SELECT 1', cb))).error?.code, 'ECONNREFUSED');
      assert.equal(tagOf(finishedSpans().find((s) => s.operationName === 'connect'), 'db.error.code'), 'ECONNREFUSED');
    });
  });
}
