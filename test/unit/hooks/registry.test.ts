import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isInstalled } from '../../../src/hooks/registry.js';

// Module hooks change the process for good (Node's loader hooks cannot be unregistered), so each
// case runs in its own child process.
const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const preload = fileURLToPath(new URL('../../fixtures/register-apps/hook-modules.ts', import.meta.url));

async function app(source: string, type: 'module' | 'commonjs', hookModules: string, withPreload = true): Promise<unknown> {
  const args = ['--import', 'tsx', ...(withPreload ? ['--import', preload] : []), `--input-type=${type}`, '-e', source];
  const { stdout, stderr } = await run(process.execPath, args, { cwd: repoRoot, env: { ...process.env, HOOK_MODULES: hookModules } });
  assert.equal(stderr, '');
  return JSON.parse(stdout) as unknown;
}

const report = 'JSON.stringify({ hooked: lib.hookedByRegistry === true, calls: globalThis.hookCalls })';

describe('module registry', () => {
  test('ESM import of a package with an ESM entry: hooked through the import loader', async () => {
    const result = await app(`import lib from 'axios'; console.log(${report});`, 'module', 'axios');
    assert.deepEqual(result, { hooked: true, calls: { axios: 1 } });
  });

  test('CommonJS require: hooked through the require hook', async () => {
    const result = await app(`const lib = require('axios'); console.log(${report});`, 'commonjs', 'axios');
    assert.deepEqual(result, { hooked: true, calls: { axios: 1 } });
  });

  test('a CommonJS package imported from ESM, then required: hooked, the hook tolerates both paths', async () => {
    const source = `import lib from 'follow-redirects'; import { createRequire } from 'node:module';
      const required = createRequire(process.cwd() + '/x.js')('follow-redirects');
      console.log(JSON.stringify({ hooked: lib.hookedByRegistry === true && required.hookedByRegistry === true, calls: globalThis.hookCalls }));`;
    const result = await app(source, 'module', 'follow-redirects') as { hooked: boolean; calls: Record<string, number> };
    assert.equal(result.hooked, true);
    assert.ok(result.calls['follow-redirects']! >= 1);
  });

  test('a package the app loaded before the hook existed is hooked at once', async () => {
    const source = `const lib = require('axios');
      const { hookModules } = require(${JSON.stringify(fileURLToPath(new URL('../../../src/hooks/registry.ts', import.meta.url)))});
      let calls = 0;
      hookModules([{ name: 'axios', versions: '*', patch: (exports) => { calls++; exports.hookedByRegistry = true; } }], () => {});
      console.log(JSON.stringify({ hooked: lib.hookedByRegistry === true, calls }));`;
    assert.deepEqual(await app(source, 'commonjs', '', false), { hooked: true, calls: 1 });
  });

  test('packages that are not hooked are left alone, and a missing package is no error', async () => {
    const result = await app(`import lib from 'axios'; console.log(${report});`, 'module', 'not-installed-anywhere');
    assert.deepEqual(result, { hooked: false, calls: {} });
  });

  test('versions: only the copies whose package.json matches the range are patched, ESM and CommonJS alike', async () => {
    const hooks = 'express@>=4 <5,express4@>=4 <5';
    const report4and5 = 'JSON.stringify({ five: five.hookedByRegistry === true, four: four.hookedByRegistry === true, calls: globalThis.hookCalls })';
    const cjs = await app(`const five = require('express'); const four = require('express4'); console.log(${report4and5});`, 'commonjs', hooks);
    assert.deepEqual(cjs, { five: false, four: true, calls: { express4: 1 } });
    const esm = await app(`import five from 'express'; import four from 'express4'; console.log(${report4and5});`, 'module', hooks);
    assert.deepEqual(esm, { five: false, four: true, calls: { express4: 1 } });
  });

  test('file: a file inside a package, named either way, hooked when the package requires it', async () => {
    const source = `const { hookModules } = require(${JSON.stringify(fileURLToPath(new URL('../../../src/hooks/registry.ts', import.meta.url)))});
      const seen = [];
      hookModules([
        { name: 'express4', versions: '^4', file: 'lib/router/route.js', patch: (exports, loaded) => { seen.push(['route', typeof exports, loaded.version.split('.')[0]]); } },
        { name: 'express4', versions: '^4', file: 'express4/lib/view.js', patch: (exports) => { seen.push(['view', typeof exports]); } },
        { name: 'express4', versions: '^5', file: 'lib/request.js', patch: () => { seen.push(['wrong version']); } },
      ], (error) => { throw error; });
      require('express4');
      console.log(JSON.stringify(seen));`;
    assert.deepEqual(await app(source, 'commonjs', '', false), [['route', 'function', '4'], ['view', 'function']]);
  });

  test('a patch that throws is reported, the module loads unpatched, later patches still run', async () => {
    const source = `const { hookModules } = require(${JSON.stringify(fileURLToPath(new URL('../../../src/hooks/registry.ts', import.meta.url)))});
      const faults = [];
      let second = 0;
      hookModules([
        { name: 'axios', versions: '*', patch: () => { throw new Error('patch failed'); } },
        { name: 'axios', versions: '*', patch: () => { second++; } },
      ], (error) => faults.push(error.message));
      const lib = require('axios');
      console.log(JSON.stringify({ faults, second, works: typeof lib.get === 'function' }));`;
    assert.deepEqual(await app(source, 'commonjs', '', false), { faults: ['patch failed'], second: 1, works: true });
  });

  test('unhook undoes every patch, latest first', async () => {
    const source = `const { hookModules } = require(${JSON.stringify(fileURLToPath(new URL('../../../src/hooks/registry.ts', import.meta.url)))});
      const lib = require('axios');
      const original = lib.get;
      const hook = hookModules([{ name: 'axios', versions: '*', patch: (exports) => {
        const before = exports.get;
        exports.get = function patched() {};
        return () => { exports.get = before; };
      } }], () => {});
      const patched = lib.get !== original;
      hook.unhook();
      console.log(JSON.stringify({ patched, restored: lib.get === original }));`;
    assert.deepEqual(await app(source, 'commonjs', '', false), { patched: true, restored: true });
  });

  test('isInstalled: what the app can load', () => {
    assert.equal(isInstalled('express'), true);
    assert.equal(isInstalled('fastify4'), true);
    assert.equal(isInstalled('surely-not-an-installed-package-7d1e'), false);
  });
});
