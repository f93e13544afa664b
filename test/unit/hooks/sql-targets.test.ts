// What the SQL hooks read of connection options: the peer, user and database, never a password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetOf } from '../../../src/hooks/mariadb.js';
import { messageFor, serverOf } from '../../../src/hooks/sql-tracing.js';

test('mariadb options: URI or object, the password left out', () => {
  assert.deepEqual(targetOf('mariadb://app:s3cret%21@db.example.com:3307/shop?connectTimeout=100'), {
    host: 'db.example.com', port: 3307, user: 'app', database: 'shop',
  });
  assert.deepEqual(targetOf('mariadb://app:pw@[::1]/shop'), { host: '::1', port: 3306, user: 'app', database: 'shop' });
  const fromObject = targetOf({ host: '10.0.0.5', port: '3308', user: 'app', password: 'pw', database: 'shop' });
  assert.deepEqual(fromObject, { host: '10.0.0.5', port: 3308, user: 'app', database: 'shop', socketPath: undefined });
  assert.equal(JSON.stringify(fromObject).includes('pw'), false);
  assert.deepEqual(targetOf('not a url'), {});
  assert.deepEqual(targetOf(undefined), {});
});

test('mysql2 payload: socket path, or host and port with their defaults; no password even when given', () => {
  assert.deepEqual(serverOf({ socketPath: '/run/mysqld.sock', host: 'x' }), { serverAddress: '/run/mysqld.sock', serverPort: undefined });
  assert.deepEqual(serverOf({}), { serverAddress: 'localhost', serverPort: 3306 });
  assert.deepEqual(serverOf(undefined), { serverAddress: undefined, serverPort: undefined });
  const message = messageFor({ host: 'db', port: 3307, user: 'app', database: 'shop', password: 'pw' } as object, 'SELECT 1', [1]);
  assert.deepEqual(message, { query: 'SELECT 1', values: [1], database: 'shop', serverAddress: 'db', serverPort: 3307, user: 'app' });
});
