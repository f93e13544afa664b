// mysql 2.x: statement, connect and pool spans from our hook (hooks/mysql.ts), which publishes
// mysql2's payload on channels of ours.
import { HOOK_MYSQL_CONNECT, HOOK_MYSQL_POOL_CONNECT, HOOK_MYSQL_QUERY } from '../hooks/channels.js';
import { patchMysql } from '../hooks/mysql.js';
import type { Integration } from './integration.js';
import { createSqlIntegration } from './sql-integration.js';

export const mysqlIntegration: Integration = createSqlIntegration({
  name: 'mysql',
  component: 'mysql',
  modules: ['mysql'],
  channels: { query: [HOOK_MYSQL_QUERY], connect: [HOOK_MYSQL_CONNECT], poolConnect: [HOOK_MYSQL_POOL_CONNECT] },
  patch: (_exports, version, basedir) => (basedir !== undefined && version !== null && version.startsWith('2.') ? patchMysql(basedir) : null),
});
