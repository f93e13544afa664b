// The MySQL drivers against one real MariaDB: the newest mysql2 (its own TracingChannels), one
// mysql2 release below 3.20 (our hook) and mysql 2.x (our hook).
import { after, before } from 'node:test';
import { createMysql2Integration } from '../../src/plugins/mysql2.js';
import { startMariaDb } from '../support/mariadb.js';
import type { MariaDb } from '../support/mariadb.js';
import { mysql2Suite } from './mysql2-suite.js';
import { mysqlSuite } from './mysql-suite.js';

let db: MariaDb;
before(async () => {
  db = await startMariaDb();
});
after(async () => {
  await db?.stop();
});

mysql2Suite({ module: 'mysql2', ownChannels: true, createIntegration: () => createMysql2Integration(['mysql2']), database: () => db });
mysql2Suite({ module: 'mysql2-old', ownChannels: false, createIntegration: () => createMysql2Integration(['mysql2-old']), database: () => db });
mysqlSuite(() => db);
