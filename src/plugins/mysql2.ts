// mysql2: statement, connect and pool spans. mysql2 >= 3.20 publishes TracingChannels of its own:
// spans come from there, and the only patch binds emitter-style commands' events to the caller's
// context. Older releases get our hook (hooks/mysql2.ts), which publishes the same payload on
// channels of ours.
import { HOOK_MYSQL2_CONNECT, HOOK_MYSQL2_EXECUTE, HOOK_MYSQL2_POOL_CONNECT, HOOK_MYSQL2_QUERY } from '../hooks/channels.js';
import { MYSQL2_CONNECT, MYSQL2_EXECUTE, MYSQL2_POOL_CONNECT, MYSQL2_QUERY } from '../hooks/channels.js';
import { patchMysql2, patchMysql2EmitterScope } from '../hooks/mysql2.js';
import { createSqlIntegration } from './sql-integration.js';
import type { Integration } from './integration.js';

/** The mysql2 integration for the packages named `modules` (normally `mysql2`; tests add an alias of an older release). */
export function createMysql2Integration(modules: readonly string[]): Integration {
  return createSqlIntegration({
    name: 'mysql2',
    component: 'mysql2',
    modules,
    channels: {
      query: [MYSQL2_QUERY, MYSQL2_EXECUTE, HOOK_MYSQL2_QUERY, HOOK_MYSQL2_EXECUTE],
      connect: [MYSQL2_CONNECT, HOOK_MYSQL2_CONNECT],
      poolConnect: [MYSQL2_POOL_CONNECT, HOOK_MYSQL2_POOL_CONNECT],
    },
    // 3.20 publishes its own channels; only its row events need their caller's context
    patch: (exports, version) => (version !== null && !isBelow(version, 3, 20) ? patchMysql2EmitterScope(exports) : patchMysql2(exports)),
  });
}

/** Whether `version` (`x.y.z`) is below `major.minor`. */
export function isBelow(version: string, major: number, minor: number): boolean {
  const [x, y] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (x === undefined || Number.isNaN(x)) return false;
  return x < major || (x === major && (y ?? 0) < minor);
}

export const mysql2Integration: Integration = createMysql2Integration(['mysql2']);
