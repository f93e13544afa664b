import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestTracer } from '../../../src/testing/index.js';
import {
  MAX_STATEMENT_SCAN, finishDatabaseSpan, recordDatabaseError, rowCountOf, startDatabaseSpan, statementTag, tagDatabaseSpan,
} from '../../../src/semantics/database-span.js';
import { startClientSpanNamed } from '../../../src/semantics/client-span.js';
import type { DatabaseCall } from '../../../src/semantics/database-span.js';

const { tracer, finishedSpans, reset } = createTestTracer();

const call = (overrides: Partial<DatabaseCall> = {}): DatabaseCall => ({
  operation: 'SELECT', component: 'mysql2', dbType: 'sql', database: 'shop', user: 'app',
  statement: 'SELECT * FROM users WHERE id = ?', hostname: 'db.internal', port: 3306, ...overrides,
});

describe('database spans', () => {
  test('client span with db.* and peer tags, a child of the active span', () => {
    reset();
    tracer.startActiveSpan('parent', (parent) => {
      finishDatabaseSpan(startDatabaseSpan(tracer, call()), { rowCount: 3 });
      parent.finish();
    });
    const [span, parent] = finishedSpans();
    assert.equal(span!.operationName, 'SELECT');
    assert.equal(span!.parentSpanId, parent!.spanId);
    assert.deepEqual(span!.tags, {
      'span.kind': 'client', component: 'mysql2', 'db.type': 'sql',
      'db.instance': 'shop', 'db.user': 'app', 'db.statement': 'SELECT * FROM users WHERE id = ?',
      'peer.hostname': 'db.internal', 'peer.port': 3306, 'db.row_count': 3,
    });
  });

  test('peer.ipv4 / peer.ipv6 only for IP literals; unknown fields are left out', () => {
    reset();
    finishDatabaseSpan(startDatabaseSpan(tracer, call({ hostname: '10.0.0.7', database: undefined, user: '' })));
    finishDatabaseSpan(startDatabaseSpan(tracer, call({ hostname: '::1', statement: undefined, port: undefined })));
    const [v4, v6] = finishedSpans();
    assert.equal(v4!.tags['peer.ipv4'], '10.0.0.7');
    assert.equal(v4!.tags['db.instance'], undefined);
    assert.equal(v4!.tags['db.user'], undefined);
    assert.equal(v6!.tags['peer.ipv6'], '::1');
    assert.equal(v6!.tags['db.statement'], undefined);
    assert.equal(v6!.tags['peer.port'], undefined);
  });

  test('a raw statement is sanitised; the sanitiser reads a bounded prefix; the tag is cut to the limit', () => {
    reset();
    const seen: number[] = [];
    const sanitize = (sql: string): string => {
      seen.push(sql.length);
      return sql.replace(/'[^']*'?/g, '?');
    };
    finishDatabaseSpan(startDatabaseSpan(tracer, call({ statement: "SELECT * FROM t WHERE password = 'hunter2'" }), { sanitize }));
    const huge = `INSERT INTO t VALUES ${"('secret'),".repeat(20_000)}`;
    finishDatabaseSpan(startDatabaseSpan(tracer, call({ statement: huge }), { sanitize }));
    const [small, big] = finishedSpans();
    assert.equal(small!.tags['db.statement'], 'SELECT * FROM t WHERE password = ?');
    assert.deepEqual(seen, [42, MAX_STATEMENT_SCAN]);
    const tagged = big!.tags['db.statement'] as string;
    assert.equal(tagged.length, 4096);
    assert.doesNotMatch(tagged, /secret/);
  });

  test('errors: error=true, code, number and message; the row count of results', () => {
    reset();
    const error = Object.assign(new Error("Table 'shop.nope' doesn't exist"), { code: 'ER_NO_SUCH_TABLE', errno: 1146 });
    finishDatabaseSpan(startDatabaseSpan(tracer, call()), { error });
    const [span] = finishedSpans();
    assert.equal(span!.tags['error'], true);
    assert.equal(span!.tags['db.error.code'], 'ER_NO_SUCH_TABLE');
    assert.equal(span!.tags['db.error.number'], 1146);
    assert.equal(span!.logs[0]!.fields['message'], "Table 'shop.nope' doesn't exist");
    assert.equal(rowCountOf([{ id: 1 }, { id: 2 }, { id: 3 }]), 3);
    assert.equal(rowCountOf([[{ id: 1 }], [{ name: 'id' }]]), 1);
    assert.equal(rowCountOf({ affectedRows: 4 }), 4);
    assert.equal(rowCountOf([{ affectedRows: 2 }, undefined]), 2);
    assert.equal(rowCountOf({ rowCount: 5 }), 5);
    assert.equal(rowCountOf('OK'), undefined);
  });

  test('a span that does not record reads and sanitises nothing', () => {
    const { tracer: unsampled } = createTestTracer({ sampler: { type: 'const', param: 0 } });
    let called = false;
    const span = startDatabaseSpan(unsampled, call(), { sanitize: (sql) => { called = true; return sql; } });
    finishDatabaseSpan(span, { rowCount: 1 });
    assert.equal(called, false);
    assert.equal(span.isRecording, false);
  });

  test('the parts on their own: tags on a span started elsewhere, an error recorded mid-call, the statement', () => {
    reset();
    const span = startClientSpanNamed(tracer, 'GET', 'ioredis');
    tagDatabaseSpan(span, { operation: 'GET', component: 'ioredis', dbType: 'redis', database: 0, statement: 'GET key', hostname: 'cache', port: 6379 });
    recordDatabaseError(span, 'not an Error');
    recordDatabaseError(span, Object.assign(new Error('READONLY'), { code: 'READONLY' }));
    span.finish();
    const [record] = finishedSpans();
    assert.equal(record!.tags['db.instance'], 0);
    assert.equal(record!.tags['db.type'], 'redis');
    assert.equal(record!.tags['db.error.code'], 'READONLY');
    assert.equal(record!.tags['error'], true);
    assert.deepEqual(record!.logs.map((log) => log.fields['message']), ['not an Error', 'READONLY']);
    assert.equal(statementTag('SELECT 1'), 'SELECT 1');
    assert.equal(statementTag("SELECT 'x'", (sql) => sql.replace(/'[^']*'/g, '?')), 'SELECT ?');
  });
});
