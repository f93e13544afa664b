import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

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
});
