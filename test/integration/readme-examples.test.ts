// The README's snippets are real programs: the quick start is examples/quick-start.ts verbatim,
// and running it (against the built package, as a user would import it) prints its trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url);
const run = promisify(execFile);

test('the README quick start is examples/quick-start.ts, word for word', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const match = /<!-- quick-start: examples\/quick-start\.ts[^>]*-->\n```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, 'README has the quick-start block');
  assert.equal(match[1], readFileSync(new URL('examples/quick-start.ts', root), 'utf8'));
});

test('the quick start runs and prints its trace: root, fetch client span, server span', async () => {
  const { stderr } = await run(process.execPath, ['--import', 'tsx', 'examples/quick-start.ts'], {
    cwd: root, timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' },
  });
  const lines = stderr.split('\n');
  const rootLine = lines.findIndex((line) => line.includes('hello_world'));
  assert.ok(rootLine >= 0, `a line for hello_world in:\n${stderr}`);
  const childLine = lines.findIndex((line, i) => i > rootLine && /\bGET\b/.test(line));
  assert.ok(childLine > rootLine, `the fetch span (GET) printed under the root in:\n${stderr}`);
  const serverLine = lines.findIndex((line, i) => i > childLine && /\bGET\b/.test(line));
  assert.ok(serverLine > childLine, `the server span printed under the client span in:\n${stderr}`);
  const indent = (line: string): number => line.length - line.trimStart().length;
  assert.ok(indent(lines[childLine]!) > indent(lines[rootLine]!), 'the client span is drawn inside the root');
  assert.ok(indent(lines[serverLine]!) > indent(lines[childLine]!), 'the server span is drawn inside the client span');
  assert.match(stderr, /3 spans/);
});
