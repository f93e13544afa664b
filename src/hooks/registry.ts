// Declarative module hooks for libraries that publish nothing: `{ name, versions, file?, patch }`.
// Whichever way a package is loaded: `require` (require-in-the-middle), `import` (import-in-the-
// middle's loader, registered with `module.register` the first time a package needs it and told
// only about the packages we patch), and CommonJS copies loaded before we started. `versions` is
// checked against the package.json of the very copy that loads (the hooks give its directory), so
// the answer does not depend on the working directory, and two copies of a library in one process
// each get their own treatment. The registry also answers "is it installed".
import { readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type * as Iitm from 'import-in-the-middle';
import type * as Ritm from 'require-in-the-middle';
import { ownUrl } from './own-url.js';
import { satisfies } from './semver-range.js';

/** The copy of a package that is loading. */
export interface LoadedModule {
  readonly name: string;
  /** Its package.json `version`. */
  readonly version: string;
  /** Its directory. */
  readonly basedir: string;
}

/** One patch of one package (or of one file inside it), for the versions it was written for. */
export interface ModuleHookEntry {
  /** The package name as the app requires it (`express`, `mysql2`, `@smithy/core`). */
  readonly name: string;
  /** A semver range the loading copy's version must satisfy: `>=4 <5`, `^2.18.0 || ^3`, `*`. */
  readonly versions: string;
  /**
   * A file inside the package, relative to its directory (`lib/base/connection.js`; the form
   * `mysql2/lib/base/connection.js` is accepted too); default: the package's main entry.
   * Files inside a package are hooked when required (CommonJS packages).
   */
  readonly file?: string;
  /**
   * Patches the loaded exports (or ESM namespace) in place; returns the undo, or null when there
   * was nothing to patch. Called once per loaded copy; it may throw (the fault is reported).
   */
  patch(exports: unknown, loaded: LoadedModule): (() => void) | null | undefined | void;
  /**
   * Hook `require` loads only: for a patch that reaches what it needs another way when the app
   * `import`s the package, so that the package alone never costs Node's ESM loader thread.
   */
  readonly requireOnly?: boolean;
}

export interface ModuleHook {
  /** Stops hooking new loads and undoes every patch made, latest first. */
  unhook(): void;
}

// The module-hook libraries are loaded on first use: a process whose app has none of the hooked
// packages never pays for them (require-in-the-middle and its `debug` dependency, import-in-the-
// middle): a few milliseconds of every preloaded process's start.
let ownRequire: NodeJS.Require | undefined;
function load<T>(name: string): T {
  ownRequire ??= createRequire(ownUrl() ?? path.join(process.cwd(), 'index.js'));
  return ownRequire(name) as T;
}
const iitm = (): typeof Iitm => load<typeof Iitm>('import-in-the-middle');
const ritm = (): typeof Ritm => load<typeof Ritm>('require-in-the-middle');

const LOADER = Symbol.for('opentracing-async-instrumentation.importLoader');
type LoaderHolder = { [LOADER]?: 'registered' | 'unavailable' };

/**
 * Registers import-in-the-middle's loader once per process (shared by our ESM and CommonJS
 * builds), limited to `modules`; later hooks reach it through its message port.
 * Returns whether ESM imports can be hooked.
 */
function ensureImportLoader(modules: readonly string[]): boolean {
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
  const { registerOptions } = iitm().createAddHookMessageChannel();
  (registerOptions.data as { include: string[] }).include.push(...modules);
  try {
    const result = register('import-in-the-middle/hook.mjs', parent, registerOptions);
    if (result instanceof Promise) result.catch(() => {});
    holder[LOADER] = 'registered';
  } catch {
    // Node refused the loader: ESM copies stay unhooked, CommonJS ones are still hooked.
    holder[LOADER] = 'unavailable';
  }
  return holder[LOADER] === 'registered';
}

/**
 * Where the app resolves packages from: its entry file (`require.main`, or under `-r`, where
 * that is not set yet, the script in `process.argv[1]`) and the working directory. NODE_PATH
 * applies to each.
 */
function appRequires(): NodeJS.Require[] {
  const bases: string[] = [];
  const main = typeof require === 'function' ? require.main?.filename : undefined;
  const entry = main ?? process.argv[1];
  if (entry !== undefined && path.isAbsolute(entry)) bases.push(entry);
  bases.push(path.join(process.cwd(), 'index.js'));
  return bases.map((base) => createRequire(base));
}

/** Whether the app can load package `name` (from its entry file or the working directory). */
export function isInstalled(name: string): boolean {
  for (const appRequire of appRequires()) {
    try {
      appRequire.resolve(name);
      return true;
    } catch {
      // not visible from this base; try the next
    }
  }
  return false;
}

/** The directories of the copies of `name` the app resolves (from its entry file, from the working directory). */
function installedDirs(name: string): string[] {
  const dirs: string[] = [];
  for (const appRequire of appRequires()) {
    let main: string;
    try {
      main = appRequire.resolve(name);
    } catch {
      continue; // not visible from this base; try the next
    }
    // The package's directory: the nearest one above its main file whose package.json has a name
    // (the path may be a symlink's target, or an alias, under another folder name).
    for (let dir = path.dirname(main); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      if (packageNameAt(dir) === undefined) continue;
      if (!dirs.includes(dir)) dirs.push(dir);
      break;
    }
  }
  return dirs;
}

/**
 * The copy of package `name` the app loads, required through the app's own resolution (so a copy
 * already loaded, by `require` or by `import`, is that very instance), or undefined.
 */
export function requireInstalled(name: string): LoadedModule & { exports: unknown } | undefined {
  for (const appRequire of appRequires()) {
    try {
      const main = appRequire.resolve(name);
      const basedir = installedDirs(name).find((dir) => main.startsWith(dir + path.sep));
      const version = basedir === undefined ? null : versionAt(basedir);
      if (basedir !== undefined && version !== null) return { name, version, basedir, exports: appRequire(name) };
    } catch {
      // not visible (or not loadable) from this base; try the next
    }
  }
  return undefined;
}

function packageNameAt(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

const versions = new Map<string, string | null>();

/** The `version` in `basedir/package.json`, read once per directory. */
function versionAt(basedir: string): string | null {
  let version = versions.get(basedir);
  if (version === undefined) {
    try {
      const parsed = JSON.parse(readFileSync(path.join(basedir, 'package.json'), 'utf8')) as { version?: unknown };
      version = typeof parsed.version === 'string' ? parsed.version : null;
    } catch {
      version = null; // no readable package.json: no version to match, so never patched
    }
    versions.set(basedir, version);
  }
  return version;
}

/**
 * Whether ESM imports of `name` need the import hook: when a copy the app resolves has a version
 * some entry wants (or one whose version cannot be read). Import-in-the-middle re-exports every
 * module it is told about through a generated wrapper: Express 5 apps need not pay for the
 * Express 4 hook. CommonJS loads are always hooked (that costs nothing until the package loads).
 */
function importHookWanted(name: string, entries: readonly ModuleHookEntry[]): boolean {
  return installedDirs(name).some((dir) => {
    const version = versionAt(dir);
    return version === null || entries.some((entry) => entry.name === name && entry.requireOnly !== true && satisfies(version, entry.versions));
  });
}

/** `lib/x.js` for an entry's file, whichever of the two accepted forms it was given in. */
function fileOf(entry: ModuleHookEntry): string | undefined {
  if (entry.file === undefined) return undefined;
  const file = entry.file.startsWith(`${entry.name}/`) ? entry.file.slice(entry.name.length + 1) : entry.file;
  return path.normalize(file);
}

/** CommonJS copies of the hooked packages (or files) loaded before the hook: run the hook on them now. */
function visitLoaded(entries: readonly ModuleHookEntry[]): void {
  const cache = createRequire(path.join(process.cwd(), 'index.js')).cache;
  for (const entry of entries) {
    const marker = `${path.sep}node_modules${path.sep}${entry.name.split('/').join(path.sep)}${path.sep}`;
    const file = fileOf(entry);
    const seen = new Set<string>();
    for (const filename of Object.keys(cache)) {
      const at = filename.lastIndexOf(marker);
      if (at === -1) continue;
      const basedir = filename.slice(0, at + marker.length - 1);
      if (seen.has(basedir)) continue;
      seen.add(basedir);
      let target: string;
      try {
        target = file === undefined ? createRequire(path.join(basedir, 'package.json')).resolve(entry.name) : path.join(basedir, file);
      } catch {
        continue; // a copy whose main file cannot be resolved from itself
      }
      // Requiring a cached module again only returns it, through the require hook.
      if (cache[target] !== undefined) createRequire(target)(target);
    }
  }
}

/**
 * Hooks the loads of the packages (and files) `entries` name, patching each copy whose version
 * matches. A patch that throws is reported through `onFault`, and the module loads unpatched.
 */
export function hookModules(entries: readonly ModuleHookEntry[], onFault: (error: unknown) => void): ModuleHook {
  const hooked = entries.filter((entry) => !isBuiltin(entry.name));
  const names = [...new Set(hooked.map((entry) => entry.name))];
  const withFiles = hooked.some((entry) => entry.file !== undefined);
  const undo: (() => void)[] = [];
  const patched = new WeakSet<object>();
  let active = true;

  const onLoad = (exports: unknown, moduleName: string, basedir: string | undefined): void => {
    if (!active || basedir === undefined || exports === null || (typeof exports !== 'object' && typeof exports !== 'function')) return;
    if (patched.has(exports)) return;
    for (const entry of hooked) {
      const file = fileOf(entry);
      const wanted = file === undefined ? entry.name : `${entry.name}${path.sep}${file}`;
      if (path.normalize(moduleName) !== path.normalize(wanted)) continue;
      const version = versionAt(basedir);
      if (version === null || !satisfies(version, entry.versions)) continue;
      try {
        const restore = entry.patch(exports, { name: entry.name, version, basedir });
        if (typeof restore === 'function') undo.push(restore);
      } catch (error) {
        onFault(error);
      }
    }
    patched.add(exports);
  };

  const requireHook = new (ritm().Hook)(names, { internals: withFiles }, (exports, name, basedir) => {
    onLoad(exports, name, basedir);
    return exports;
  });
  const importNames = names.filter((name) => importHookWanted(name, hooked));
  const importHook = importNames.length > 0 && ensureImportLoader(importNames)
    ? new (iitm().Hook)(importNames, { internals: withFiles }, (namespace, name, basedir) => {
      onLoad(namespace, name, basedir ?? undefined);
    })
    : null;
  visitLoaded(hooked);
  return {
    unhook(): void {
      if (!active) return;
      active = false;
      requireHook.unhook();
      importHook?.unhook();
      for (const restore of undo.splice(0).reverse()) restore();
    },
  };
}
