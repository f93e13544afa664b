// The same assertions for the newest mysql2 (its own TracingChannels) and a release below 3.20
// (our hook), against a real MariaDB (mysql2.test.ts starts one for both).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createTestTracer } from '../../src/testing/index.js';
import { sanitizeSqlErrorMessage } from '../../src/semantics/sql-sanitizer.js';
import type { SpanRecord } from '../../src/testing/index.js';
import type { Integration } from '../../src/plugins/integration.js';
import { spanStore } from '../../src/tracer/active-context.js';
import type { Span } from '../../src/tracer/span.js';
import type { MariaDb } from '../support/mariadb.js';
import { integrationContext } from './server-support.js';
import type { TestContext } from './server-support.js';

const require = createRequire(import.meta.url);

/* The parts of mysql2's API the suite uses. */
type Callback = (error: (Error & Record<string, unknown>) | null, rows?: unknown, fields?: unknown) => void;
interface Command {
  on(event: string, listener: (...args: unknown[]) => void): Command;
  stream(): NodeJS.ReadableStream;
}
export interface Connection {
  query(sql: string, values: unknown[] | Callback, cb?: Callback): Command;
  query(sql: string): Command;
  execute(sql: string, values: unknown[], cb: Callback): Command;
  beginTransaction(cb: (error: Error | null) => void): void;
  commit(cb: (error: Error | null) => void): void;
  rollback(cb: (error: Error | null) => void): void;
  threadId: number;
  end(cb?: () => void): void;
  destroy(): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}
interface PromiseConnection {
  query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
  execute(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
  end(): Promise<void>;
}
interface Pool {
  query(sql: string, values: unknown[], cb: Callback): void;
  getConnection(cb: (error: Error | null, connection: Connection & { release(): void }) => void): void;
  end(cb?: () => void): void;
}
interface PromisePool {
  query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
  execute(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
  end(): Promise<void>;
}
interface PoolCluster {
  add(id: string, config: object): void;
  of(pattern: string): { query(sql: string, values: unknown[], cb: Callback): void };
  end(cb?: () => void): void;
}
export interface Mysql2 {
  createConnection(config: object): Connection;
  createPool(config: object): Pool;
  createPoolCluster(config?: object): PoolCluster;
}
interface Mysql2Promise {
  createConnection(config: object): Promise<PromiseConnection>;
  createPool(config: object): PromisePool;
}

export const tagOf = (span: SpanRecord | undefined, key: string): unknown => span?.tags[key];

/** What every driver suite uses: a test tracer, the connection config, parents, and the statement spans of `component`. */
export function sqlTracing(database: () => MariaDb, component: string) {
  const { tracer, finishedSpans, reset } = createTestTracer();
  const config = (): Record<string, unknown> => {
    const db = database();
    return { host: db.host, port: db.port, user: db.user, password: db.password, database: db.database };
  };
  const inParent = <T>(name: string, fn: (parent: Span) => T): T => tracer.startActiveSpan(name, (parent) => {
    try {
      return fn(parent);
    } finally {
      parent.finish();
    }
  });
  const statements = (): SpanRecord[] => finishedSpans().filter((span) => tagOf(span, 'component') === component && span.operationName !== 'connect');
  return { tracer, finishedSpans, reset, config, inParent, statements };
}
const activeSpanId = (): string | undefined => spanStore.getStore()?.context().toSpanId();

function callback<T = unknown>(run: (cb: Callback) => void): Promise<{ error: (Error & Record<string, unknown>) | null; rows: T; args: number; active: string | undefined }> {
  return new Promise((resolve) => {
    run(function (this: unknown, error, rows) {
      resolve({ error, rows: rows as T, args: arguments.length, active: activeSpanId() });
    });
  });
}

/** What a user compares of an error: everything the driver puts on it but the stack. */
export function errorShape(error: unknown): Record<string, unknown> {
  const { name, message, code, errno, sqlState, sqlMessage, fatal } = error as Record<string, unknown>;
  return { name, message, code, errno, sqlState, sqlMessage, fatal };
}

export interface Mysql2SuiteOptions {
  /** The package name as required (`mysql2` or an alias of an older release). */
  module: string;
  /** Whether this release publishes its own channels (>= 3.20). */
  ownChannels: boolean;
  createIntegration(): Integration;
  database(): MariaDb;
}

export function mysql2Suite(options: Mysql2SuiteOptions): void {
  const mysql = require(options.module) as Mysql2;
  const mysqlPromise = require(`${options.module}/promise`) as Mysql2Promise;
  const { tracer, finishedSpans, reset, config, inParent, statements: statementSpans } = sqlTracing(options.database, 'mysql2');
  let context: TestContext;
  let integration: Integration;
  let connection: Connection;

  describe(`${options.module} (${options.ownChannels ? 'its own channels' : 'our hook'})`, () => {
    before(async () => {
      context = integrationContext(tracer);
      integration = options.createIntegration();
      assert.equal(integration.enable(context), true);
      connection = mysql.createConnection(config());
      await callback((cb) => connection.query('DROP TABLE IF EXISTS users', cb));
      const created = await callback((cb) => connection.query('CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50) UNIQUE)', cb));
      assert.equal(created.error, null);
      reset();
    });
    after(async () => {
      await new Promise<void>((resolve) => connection.end(() => resolve()));
      integration.disable();
      assert.deepEqual(context.faults, []);
    });

    test('query with a callback: one span under the caller, sanitised, the callback in the caller\'s context', async () => {
      reset();
      const result = await inParent('parent', (parent) => {
        const out = callback((cb) => connection.query("SELECT 1 + ? AS n, 'literal-abc' AS s", [41], cb));
        return out.then((value) => ({ ...value, parent: parent.context().toSpanId() }));
      });
      assert.equal(result.error, null);
      assert.deepEqual((result.rows as { n: number }[])[0]!.n, 42);
      assert.equal(result.active, result.parent);
      const [span] = statementSpans();
      assert.ok(span);
      assert.equal(span.operationName, 'SELECT');
      assert.equal(span.parentSpanId, result.parent);
      const db = options.database();
      assert.equal(tagOf(span, 'span.kind'), 'client');
      assert.equal(tagOf(span, 'db.type'), 'sql');
      assert.equal(tagOf(span, 'db.instance'), db.database);
      // mysql2's own query payload names no user (only its connect payload does); our hook's does
      assert.equal(tagOf(span, 'db.user'), options.ownChannels ? undefined : db.user);
      assert.equal(tagOf(span, 'db.statement'), 'SELECT ? + ? AS n, ? AS s');
      assert.equal(tagOf(span, 'peer.hostname'), '127.0.0.1');
      assert.equal(tagOf(span, 'peer.ipv4'), '127.0.0.1');
      assert.equal(tagOf(span, 'peer.port'), db.port);
      assert.equal(tagOf(span, 'db.row_count'), 1);
      assert.equal(tagOf(span, 'db.values'), undefined);
      assert.ok(!JSON.stringify(span).includes('literal-abc'));
    });

    test('execute (prepared, the implicit prepare inside) and the promise API', async () => {
      reset();
      const conn = await mysqlPromise.createConnection(config());
      try {
        const parentId = await inParent('parent', async (parent) => {
          const [rows] = await conn.execute('SELECT ? AS v', ['bound-value']);
          assert.deepEqual(rows, [{ v: 'bound-value' }]);
          assert.equal(activeSpanId(), parent.context().toSpanId());
          await conn.query('INSERT INTO users VALUES (?, ?)', [1, 'ann']);
          assert.equal(activeSpanId(), parent.context().toSpanId());
          return parent.context().toSpanId();
        });
        const spans = statementSpans();
        assert.deepEqual(spans.map((s) => s.operationName), ['SELECT', 'INSERT']);
        for (const span of spans) assert.equal(span.parentSpanId, parentId);
        assert.equal(tagOf(spans[0], 'db.statement'), 'SELECT ? AS v');
        assert.equal(tagOf(spans[1], 'db.statement'), 'INSERT INTO users VALUES (?, ?)');
        assert.equal(tagOf(spans[1], 'db.row_count'), 1);
        assert.ok(!JSON.stringify(spans).includes('bound-value'));
        const connect = finishedSpans().find((span) => span.operationName === 'connect');
        assert.ok(connect, 'a connect span');
        assert.equal(tagOf(connect, 'db.user'), options.database().user);
        assert.ok(connect.duration > 0);
      } finally {
        await conn.end();
      }
    });

    test('recordSqlValues: bound values recorded as db.values only when opted in', async () => {
      integration.disable();
      const withValues = options.createIntegration();
      const valuesContext = integrationContext(tracer, { recordSqlValues: true });
      assert.equal(withValues.enable(valuesContext), true);
      try {
        reset();
        await callback((cb) => connection.execute('SELECT ? AS v', ['opted-in'], cb));
        assert.deepEqual(tagOf(statementSpans()[0], 'db.values'), ['opted-in']);
        assert.equal(tagOf(statementSpans()[0], 'db.statement'), 'SELECT ? AS v');
      } finally {
        withValues.disable();
        assert.equal(integration.enable(context), true);
      }
      assert.deepEqual(valuesContext.faults, []);
    });

    test('transactions: START TRANSACTION, COMMIT and ROLLBACK are statements too', async () => {
      reset();
      await new Promise<void>((resolve, reject) => connection.beginTransaction((e) => (e ? reject(e) : resolve())));
      await callback((cb) => connection.query('UPDATE users SET name = ? WHERE id = ?', ['bea', 1], cb));
      await new Promise<void>((resolve, reject) => connection.rollback((e) => (e ? reject(e) : resolve())));
      await new Promise<void>((resolve, reject) => connection.beginTransaction((e) => (e ? reject(e) : resolve())));
      await new Promise<void>((resolve, reject) => connection.commit((e) => (e ? reject(e) : resolve())));
      assert.deepEqual(statementSpans().map((s) => s.operationName), ['START', 'UPDATE', 'ROLLBACK', 'START', 'COMMIT']);
    });

    test('a pool of one connection, 50 concurrent queries from 50 parents: each span and callback under its own parent', async () => {
      reset();
      const pool = mysql.createPool({ ...config(), connectionLimit: 1 });
      const promisePool = mysqlPromise.createPool({ ...config(), connectionLimit: 1 });
      try {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => inParent(`parent-${i}`, (parent) => {
          const id = parent.context().toSpanId();
          if (i % 2 === 0) return callback((cb) => pool.query('SELECT ? AS i', [i], cb)).then((r) => ({ id, active: r.active }));
          return promisePool.query('SELECT ? AS i', [i]).then(() => ({ id, active: activeSpanId() }));
        })));
        for (const { id, active } of results) assert.equal(active, id);
        const parents = new Map(finishedSpans().filter((s) => s.operationName.startsWith('parent-')).map((s) => [s.spanId, s]));
        const spans = statementSpans();
        assert.equal(spans.length, 50);
        for (const span of spans) assert.ok(parents.has(span.parentSpanId!), `span ${span.spanId} under a parent of its own`);
        assert.equal(new Set(spans.map((s) => s.parentSpanId)).size, 50);
      } finally {
        await new Promise<void>((resolve) => pool.end(() => resolve()));
        await promisePool.end();
      }
    });

    test('getConnection from a busy pool: the queued callback runs in its caller\'s context', async () => {
      reset();
      const pool = mysql.createPool({ ...config(), connectionLimit: 1 });
      try {
        const seen = await Promise.all(Array.from({ length: 5 }, (_, i) => inParent(`p${i}`, (parent) => new Promise<[string, string | undefined]>((resolve) => {
          pool.getConnection((error, conn) => {
            assert.equal(error, null);
            const active = activeSpanId();
            setTimeout(() => {
              conn.release();
              resolve([parent.context().toSpanId(), active]);
            }, 2);
          });
        }))));
        for (const [expected, active] of seen) assert.equal(active, expected);
      } finally {
        await new Promise<void>((resolve) => pool.end(() => resolve()));
      }
    });

    test('a PoolCluster query', async () => {
      reset();
      const cluster = mysql.createPoolCluster();
      cluster.add('primary', config());
      try {
        const result = await inParent('parent', (parent) => callback((cb) => cluster.of('*').query('SELECT ? AS x', [7], cb))
          .then((r) => ({ ...r, parent: parent.context().toSpanId() })));
        assert.equal(result.error, null);
        assert.equal(result.active, result.parent);
        const [span] = statementSpans();
        assert.equal(span?.parentSpanId, result.parent);
      } finally {
        await new Promise<void>((resolve) => cluster.end(() => resolve()));
      }
    });

    test('row events and .stream(): one span, finished after the last row', async () => {
      reset();
      const rows: unknown[] = [];
      const streamed: unknown[] = [];
      const seen: (string | undefined)[] = [];
      const parentId = await inParent('parent', async (parent) => {
        await new Promise<void>((resolve, reject) => {
          connection.query('SELECT 1 AS a UNION SELECT 2').on('result', (row) => {
            rows.push(row);
            seen.push(activeSpanId());
          }).on('error', reject).on('end', () => resolve());
        });
        await new Promise<void>((resolve, reject) => {
          const stream = connection.query('SELECT 3 AS a').stream();
          stream.on('data', (row) => {
            streamed.push(row);
            seen.push(activeSpanId());
          });
          stream.on('error', reject);
          stream.on('end', () => resolve());
        });
        return parent.context().toSpanId();
      });
      assert.deepEqual(seen, [parentId, parentId, parentId], 'row events in the caller\'s context');
      assert.equal(rows.length, 2);
      assert.equal(streamed.length, 1);
      await new Promise((resolve) => setImmediate(resolve));
      const spans = statementSpans();
      assert.deepEqual(spans.map((s) => s.operationName), ['SELECT', 'SELECT']);
      assert.equal(tagOf(spans[0], 'db.statement'), 'SELECT ? AS a UNION SELECT ?');
    });

    test('failures: one finished error span each, and the user sees the very same error', async () => {
      const failing: [string, (cb: Callback) => void, string][] = [
        ['syntax error', (cb) => connection.query('SELEC 1', cb), 'ER_PARSE_ERROR'],
        ['unknown table', (cb) => connection.query('SELECT * FROM missing_table', cb), 'ER_NO_SUCH_TABLE'],
        ['duplicate key', (cb) => connection.query("INSERT INTO users VALUES (7654321, 'dup-secret')", cb), 'ER_DUP_ENTRY'],
        ['prepare fails', (cb) => connection.execute('SELECT * FROM missing_table WHERE id = ?', [1], cb), 'ER_NO_SUCH_TABLE'],
      ];
      await callback((cb) => connection.query("INSERT IGNORE INTO users VALUES (7654321, 'zed-7654321')", cb));
      for (const [label, run, code] of failing) {
        integration.disable();
        const plain = await callback(run);
        assert.equal(integration.enable(context), true);
        reset();
        const traced = await inParent('parent', () => callback(run));
        assert.deepEqual(errorShape(traced.error), errorShape(plain.error), label);
        assert.equal(traced.args, plain.args, label);
        assert.equal(traced.error?.code, code, label);
        const spans = statementSpans();
        assert.equal(spans.length, 1, label);
        const span = spans[0]!;
        assert.equal(tagOf(span, 'error'), true, label);
        assert.equal(tagOf(span, 'db.error.code'), code, label);
        assert.equal(tagOf(span, 'db.error.number'), traced.error?.errno, label);
        const log = span.logs.find((entry) => entry.fields.event === 'error');
        // the server's message quotes the duplicate value and the SQL near a syntax error: recorded sanitised
        assert.equal(log?.fields.message, sanitizeSqlErrorMessage(String(traced.error?.message)), label);
        if (code === 'ER_DUP_ENTRY') assert.match(String(log?.fields.message), /^Duplicate entry '\?' for key/, label);
        if (code === 'ER_PARSE_ERROR') assert.match(String(log?.fields.message), /near 'SELEC \?' at line 1/, label);
        const recorded = JSON.stringify({ tags: span.tags, logs: span.logs });
        assert.ok(!recorded.includes('dup-secret') && !recorded.includes('7654321'), label);
      }
    });

    test('failures of connections: refused, access denied, query timeout, KILLed mid-query', async () => {
      const db = options.database();
      // refused: a port nothing listens on
      reset();
      const refused = await new Promise<Error & Record<string, unknown>>((resolve) => {
        const conn = mysql.createConnection({ ...config(), port: 1 });
        conn.on('error', () => {});
        conn.query('SELECT 1', (error) => resolve(error!));
      });
      assert.equal(refused.code, 'ECONNREFUSED');
      const refusedSpans = finishedSpans().filter((s) => tagOf(s, 'error') === true);
      assert.ok(refusedSpans.length >= 1, 'an error span for the refused connection');
      // access denied
      reset();
      const denied = await mysqlPromise.createConnection({ ...config(), password: 'wrong-password' }).then(() => null, (error: Error & Record<string, unknown>) => error);
      assert.equal(denied?.code, 'ER_ACCESS_DENIED_ERROR');
      const connect = finishedSpans().find((s) => s.operationName === 'connect');
      assert.equal(tagOf(connect, 'error'), true);
      assert.equal(tagOf(connect, 'db.error.code'), 'ER_ACCESS_DENIED_ERROR');
      // a query timeout (mysql2's own `timeout` option)
      reset();
      const slow = mysql.createConnection(config());
      slow.on('error', () => {});
      const timedOut = await callback((cb) => (slow as unknown as { query(o: object, cb: Callback): void }).query({ sql: 'SELECT SLEEP(2)', timeout: 50 }, cb));
      assert.equal(timedOut.error?.code, 'PROTOCOL_SEQUENCE_TIMEOUT');
      slow.destroy();
      const timeoutSpan = statementSpans().find((s) => tagOf(s, 'db.error.code') === 'PROTOCOL_SEQUENCE_TIMEOUT');
      assert.ok(timeoutSpan, 'a finished error span for the timeout');
      // KILL from a second connection while the first waits in SLEEP
      reset();
      const victim = mysql.createConnection(config());
      victim.on('error', () => {});
      await callback((cb) => victim.query('SELECT 1', cb));
      const admin = mysql.createConnection({ ...config(), user: db.adminUser, password: db.adminPassword });
      const killed = callback((cb) => victim.query('SELECT SLEEP(10)', cb));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await callback((cb) => admin.query(`KILL ${victim.threadId}`, cb));
      const outcome = await killed;
      assert.ok(outcome.error, 'the killed query fails');
      admin.destroy();
      victim.destroy();
      const killedSpan = statementSpans().find((s) => tagOf(s, 'db.statement') === 'SELECT SLEEP(?)');
      assert.equal(tagOf(killedSpan, 'error'), true);
    });
  });
}
