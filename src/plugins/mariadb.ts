// mariadb (3.x, promise API): statement and connect spans from our hook (hooks/mariadb.ts),
// which publishes mysql2's payload on channels of ours (mariadb has none of its own to mirror).
import { HOOK_MARIADB_CONNECT, HOOK_MARIADB_QUERY } from '../hooks/channels.js';
import { patchMariadb } from '../hooks/mariadb.js';
import type { Integration } from './integration.js';
import { defineIntegration } from './lifecycle.js';
import { sqlChannelParts } from './sql-channels.js';

export const mariadbIntegration: Integration = defineIntegration({
  name: 'mariadb',
  packages: ['mariadb'],
  setup: (context, tools) => ({
    ...sqlChannelParts(context, tools, 'mariadb', { statements: [HOOK_MARIADB_QUERY], connect: [HOOK_MARIADB_CONNECT], poolConnect: [] }),
    moduleHooks: [{ name: 'mariadb', versions: '>=3.0.0', patch: patchMariadb }],
  }),
});
