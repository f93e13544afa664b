// mysql 2.x: statement, connect and pool spans from our hook (hooks/mysql.ts), which publishes
// mysql2's payload on channels of ours (mysql has none of its own to mirror).
import { HOOK_MYSQL_CONNECT, HOOK_MYSQL_POOL_CONNECT, HOOK_MYSQL_QUERY } from '../hooks/channels.js';
import { patchMysql } from '../hooks/mysql.js';
import type { Integration } from './integration.js';
import { defineIntegration } from './lifecycle.js';
import { sqlChannelParts } from './sql-channels.js';

export const mysqlIntegration: Integration = defineIntegration({
  name: 'mysql',
  packages: ['mysql'],
  setup: (context, tools) => ({
    ...sqlChannelParts(context, tools, 'mysql', {
      statements: [HOOK_MYSQL_QUERY],
      connect: [HOOK_MYSQL_CONNECT],
      poolConnect: [HOOK_MYSQL_POOL_CONNECT],
    }),
    moduleHooks: [{ name: 'mysql', versions: '^2', patch: (_exports: unknown, loaded: { basedir: string }) => patchMysql(loaded.basedir) }],
  }),
});
