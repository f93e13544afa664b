// mariadb (3.x, promise and callback APIs): statement and connect spans from our hook (hooks/mariadb.ts),
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
    moduleHooks: [
      { name: 'mariadb', versions: '>=3.0.0', patch: (exports: unknown) => patchMariadb('promise', exports) },
      // `mariadb/callback`: the CommonJS bundle for require, the ESM file for import
      { name: 'mariadb', versions: '>=3.0.0', file: 'dist/callback.cjs', patch: (exports: unknown) => patchMariadb('callback', exports) },
      { name: 'mariadb', versions: '>=3.0.0', file: 'callback.js', patch: (exports: unknown) => patchMariadb('callback', exports) },
    ],
  }),
});
