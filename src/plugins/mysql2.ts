// mysql2: statement, connect and pool spans. mysql2 >= 3.20 publishes TracingChannels of its own:
// spans come from there, and the only patch binds emitter-style commands' events (row events,
// `.stream()`) to the caller's context. Older releases get our hook (hooks/mysql2.ts), which
// publishes the same payload on the same channels.
import { MYSQL2_CONNECT, MYSQL2_EXECUTE, MYSQL2_POOL_CONNECT, MYSQL2_QUERY } from '../hooks/channels.js';
import { patchMysql2, patchMysql2EmitterScope } from '../hooks/mysql2.js';
import type { Integration } from './integration.js';
import { defineIntegration } from './lifecycle.js';
import { sqlChannelParts } from './sql-channels.js';

/** The mysql2 integration for the packages named `modules` (normally `mysql2`; tests add an alias of an older release). */
export function createMysql2Integration(modules: readonly string[]): Integration {
  return defineIntegration({
    name: 'mysql2',
    packages: modules,
    setup: (context, tools) => ({
      ...sqlChannelParts(context, tools, 'mysql2', {
        statements: [MYSQL2_QUERY, MYSQL2_EXECUTE],
        connect: [MYSQL2_CONNECT],
        poolConnect: [MYSQL2_POOL_CONNECT],
      }),
      moduleHooks: modules.flatMap((name) => [
        { name, versions: '<3.20.0', patch: patchMysql2 },
        { name, versions: '>=3.20.0', patch: patchMysql2EmitterScope },
      ]),
    }),
  });
}

export const mysql2Integration: Integration = createMysql2Integration(['mysql2']);
