// One SQL driver as an Integration: its channel subscriptions (sql-channels.ts) plus, for releases
// that publish nothing, a module hook patching each loaded copy (the copy's own package.json
// decides whether it needs the patch).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isInstalled } from '../hooks/http-server.js';
import { hookModules } from '../hooks/registry.js';
import type { ModuleHook } from '../hooks/registry.js';
import type { Integration, IntegrationContext } from './integration.js';
import { subscribeSqlChannels } from './sql-channels.js';
import type { SqlChannelNames } from './sql-channels.js';

export interface SqlIntegrationDefinition {
  readonly name: string;
  readonly component: string;
  /** Package names to hook (the first installed one turns the integration on). */
  readonly modules: readonly string[];
  readonly channels: SqlChannelNames;
  /** Patches a loaded copy (version from its package.json, null if unreadable); returns the undo, or null. */
  readonly patch?: (exports: unknown, version: string | null, basedir: string | undefined) => (() => void) | null;
}

function versionAt(basedir: string | undefined): string | null {
  if (basedir === undefined) return null;
  try {
    const { version } = JSON.parse(readFileSync(path.join(basedir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

export function createSqlIntegration(definition: SqlIntegrationDefinition): Integration {
  let unsubscribe: (() => void) | null = null;
  let hook: ModuleHook | null = null;
  const undo: (() => void)[] = [];
  let patched = new WeakSet<object>();
  return {
    name: definition.name,
    enable(context: IntegrationContext): boolean {
      if (unsubscribe !== null) return true;
      if (!definition.modules.some(isInstalled)) return false;
      patched = new WeakSet<object>();
      unsubscribe = subscribeSqlChannels(context, definition.name, definition.component, definition.channels);
      const patch = definition.patch;
      if (patch !== undefined) {
        hook = hookModules(definition.modules, (exports, _name, basedir) => {
          // CommonJS exports and the ESM namespace of one copy share their classes: patch once
          const target = (exports as { default?: unknown }).default ?? exports;
          if (target === null || (typeof target !== 'object' && typeof target !== 'function') || patched.has(target)) return undefined;
          patched.add(target);
          try {
            const restore = patch(target, versionAt(basedir), basedir);
            if (restore !== null) undo.push(restore);
          } catch (error) {
            context.fault(definition.name, error);
          }
          return undefined;
        });
      }
      return true;
    },
    disable(): void {
      if (unsubscribe === null) return;
      hook?.unhook();
      hook = null;
      for (const restore of undo.splice(0).reverse()) restore();
      unsubscribe();
      unsubscribe = null;
    },
  };
}
