// The README's jaeger-client migration snippet is a real program: run as a user would (CommonJS,
// the package required by name, so the built dist/), it must print what its comments say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url);
const run = promisify(execFile);

test('the migration snippet runs against the built package and prints a sampled debug context', async () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const match = /<!-- migration: run by test\/integration\/readme-migration\.test\.ts -->\n```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, 'README has the migration snippet');
  // Inside the package directory, so that require('opentracing-async-instrumentation') is the package itself.
  const dir = new URL('.tmp/', root);
  mkdirSync(dir, { recursive: true });
  const file = new URL('readme-migration.cjs', dir);
  writeFileSync(file, match[1]!);
  const { stdout } = await run(process.execPath, [file.pathname], { cwd: root, timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } });
  assert.match(stdout, /^true [0-9a-f]{1,32}:[0-9a-f]{1,16}:0:3\n$/);
});
