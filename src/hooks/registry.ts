// Patching libraries that publish nothing, whichever way they are loaded: `require` (through
// require-in-the-middle), `import` (through import-in-the-middle's loader, registered with
// `module.register` the first time a package needs it, and told only about the packages we
// patch), and CommonJS packages that were already loaded before we started.
import { createRequire, isBuiltin } from 'node:module';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import * as iitm from 'import-in-the-middle';
import * as ritm from 'require-in-the-middle';
import { ownUrl } from './own-url.js';

/** Called with a module's exports (or ESM namespace) on each load; may return a replacement. */
export type OnModuleLoad = (exports: Record<string, unknown>, name: string, basedir: string | undefined) => unknown;

export interface ModuleHook {
  unhook(): void;
}

const LOADER = Symbol.for('opentracing-async-instrumentation.importLoader');
type LoaderHolder = { [LOADER]?: 'registered' | 'unavailable' };

/**
 * Registers import-in-the-middle's loader once per process (shared by our ESM and CommonJS
 * builds), limited to `modules`; later hooks reach it through its message port.
 * Returns whether ESM imports can be hooked.
 */
export function ensureImportLoader(modules: readonly string[]): boolean {
  const holder = globalThis as LoaderHolder;
  if (holder[LOADER] !== undefined) return holder[LOADER] === 'registered';
  const register = (nodeModule as { register?: (specifier: string, parentURL: string, options: object) => unknown }).register;
  const parent = ownUrl();
  // Node 20 runs `-r` preloads in its module-hooks thread too, where `register` rejects; worker
  // threads share the main thread's hooks. Only the main thread registers.
  if (typeof register !== 'function' || parent === undefined || !isMainThread) {
    holder[LOADER] = 'unavailable';
    return false;
  }
  const { registerOptions } = iitm.createAddHookMessageChannel();
  (registerOptions.data as { include: string[] }).include.push(...modules);
  try {
    const result = register('import-in-the-middle/hook.mjs', parent, registerOptions);
    if (result instanceof Promise) result.catch(() => {});
    holder[LOADER] = 'registered';
  } catch {
    holder[LOADER] = 'unavailable';
  }
  return holder[LOADER] === 'registered';
}

/** A `require` resolving as the app's entry file does (falls back to the working directory). */
function requireFromApp(): NodeJS.Require {
  const entry = typeof require === 'function' ? require.main?.filename : process.argv[1];
  return createRequire(entry !== undefined && path.isAbsolute(entry) ? entry : path.join(process.cwd(), 'index.js'));
}

/** Runs the require hook for packages the app loaded before the hook existed. */
function visitLoaded(modules: readonly string[]): void {
  let appRequire: NodeJS.Require;
  try {
    appRequire = requireFromApp();
  } catch {
    return;
  }
  for (const name of modules) {
    try {
      if (appRequire.cache[appRequire.resolve(name)] !== undefined) appRequire(name);
    } catch {
      // not installed where the app can see it
    }
  }
}

/**
 * Calls `onLoad` for every load of the named packages (not built-in modules: patch those
 * directly). `onLoad` must be idempotent: a CommonJS package imported from ESM and later
 * required reaches it through both hooks.
 */
export function hookModules(modules: readonly string[], onLoad: OnModuleLoad): ModuleHook {
  const names = modules.filter((name) => !isBuiltin(name));
  const guarded = (exports: Record<string, unknown>, name: string, basedir: string | undefined): Record<string, unknown> => {
    try {
      const replaced = onLoad(exports, name, basedir);
      return replaced === undefined || replaced === null ? exports : (replaced as Record<string, unknown>);
    } catch {
      return exports;
    }
  };
  const requireHook = new ritm.Hook(names, { internals: false }, guarded as ritm.OnRequireFn);
  const importHook = ensureImportLoader(names)
    ? new iitm.Hook(names, (namespace, name, basedir) => {
      const replaced = guarded(namespace, name, basedir ?? undefined);
      return replaced === namespace ? undefined : replaced;
    })
    : null;
  visitLoaded(names);
  return {
    unhook(): void {
      requireHook.unhook();
      importHook?.unhook();
    },
  };
}
