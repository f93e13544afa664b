// mysql2 against a real MariaDB: the newest release (its own TracingChannels) and one below 3.20
// (our hook), one server for both.
import { after, before } from 'node:test';
import { createMysql2Integration } from '../../src/plugins/mysql2.js';
import { startMariaDb } from '../support/mariadb.js';
import type { MariaDb } from '../support/mariadb.js';
import { mysql2Suite } from './mysql2-suite.js';

let db: MariaDb;
before(async () => {
  db = await startMariaDb();
});
after(async () => {
  await db?.stop();
});

mysql2Suite({ module: 'mysql2', ownChannels: true, createIntegration: () => createMysql2Integration(['mysql2']), database: () => db });
mysql2Suite({ module: 'mysql2-old', ownChannels: false, createIntegration: () => createMysql2Integration(['mysql2-old']), database: () => db });
