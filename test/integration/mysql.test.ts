// The MySQL drivers against one real MariaDB: the newest mysql2 (its own TracingChannels), one
// mysql2 release below 3.20 (our hook), mysql 2.x and mariadb (our hooks, also imported from ESM); then exported bytes, knex in an
// Express route, and the README's example.
import { after, before } from 'node:test';
import { createMysql2Integration } from '../../src/plugins/mysql2.js';
import { startMariaDb } from '../support/mariadb.js';
import type { MariaDb } from '../support/mariadb.js';
import { mysql2Suite } from './mysql2-suite.js';
import { mysqlSuite } from './mysql-suite.js';
import { mysqlAppSuite } from './mysql-app-suite.js';
import { mariadbSuite } from './mariadb-suite.js';

let db: MariaDb;
before(async () => {
  // The password is a canary: mysql-app-suite scans every exported byte for it.
  db = await startMariaDb({ password: `canary-pw-${process.pid}-x9q` });
});
after(async () => {
  await db?.stop();
});

mysql2Suite({ module: 'mysql2', ownChannels: true, createIntegration: () => createMysql2Integration(['mysql2']), database: () => db });
mysql2Suite({ module: 'mysql2-old', ownChannels: false, createIntegration: () => createMysql2Integration(['mysql2-old']), database: () => db });
mysqlSuite(() => db);
mariadbSuite(() => db);
mysqlAppSuite(() => db);
