// The packed package as a TypeScript user gets it: every entry point's types resolve under the
// module settings projects use (CommonJS with node10 resolution, node16 for CommonJS and ESM,
// bundler), and every TypeScript snippet of the README compiles under --strict against it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
let dir: string;

// Uses every entry point, including a value that only the right declaration file has.
const CONSUMER = `
import { initTracer, globalTracer, Tracer } from 'opentracing-async-instrumentation';
import { expressMiddleware, AbstractRequestWrapper } from 'opentracing-async-instrumentation/server';
import { createTestTracer } from 'opentracing-async-instrumentation/testing';

const tracer: Tracer = initTracer({ serviceName: 'types', reporter: { exporter: 'none' } });
const always: Tracer = globalTracer();
const middleware = expressMiddleware({ ignorePaths: ['/health'] });
const { finishedSpans } = createTestTracer();
export const used: unknown[] = [tracer, always, middleware, AbstractRequestWrapper, finishedSpans()];
`;

/** tsc's complaints ('' when none). Our own declaration files are checked too, unless `skipLibCheck`. */
async function typecheck(project: string, flags: string[], files: string[], skipLibCheck = false): Promise<string> {
  try {
    await run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', String(skipLibCheck), '--types', 'node', '--target', 'es2022', ...flags, ...files],
      { cwd: project });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

before(async () => {
  assert.ok(existsSync(path.join(repoRoot, 'dist', 'cjs', 'server', 'index.d.ts')), 'dist/ is built (npm test builds it first)');
  mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
  dir = mkdtempSync(path.join(repoRoot, '.tmp', 'package-types-'));
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const modules = path.join(dir, 'node_modules');
  mkdirSync(modules);
  await run('tar', ['-xzf', path.join(dir, filename), '-C', modules]);
  renameSync(path.join(modules, 'package'), path.join(modules, 'opentracing-async-instrumentation'));
  for (const [name, type] of [['cjs', 'commonjs'], ['esm', 'module']] as const) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type }));
    writeFileSync(path.join(dir, name, 'consumer.ts'), CONSUMER);
  }
  typecheckAll();
});

after(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const MODES: [string, 'cjs' | 'esm', string[]][] = [
  ['CommonJS, node10 resolution (tsc --module commonjs)', 'cjs', ['--module', 'commonjs', '--moduleResolution', 'node10']],
  ['CommonJS under node16', 'cjs', ['--module', 'node16', '--moduleResolution', 'node16']],
  ['ESM under node16', 'esm', ['--module', 'node16', '--moduleResolution', 'node16']],
  ['bundler', 'esm', ['--module', 'esnext', '--moduleResolution', 'bundler']],
];

/** The README's TypeScript snippets, each written as a module of its own (they reuse names such as `tracer`). */
function writeSnippets(project: string): string[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  assert.ok(snippets.length >= 8, `found ${snippets.length} snippets`);
  return snippets.map((source, i) => {
    const file = `readme-${i + 1}.ts`;
    writeFileSync(path.join(project, file), `${source}\nexport {};\n`);
    return file;
  });
}

// Every tsc run at once (they are independent): the file takes the time of the slowest, not the sum.
let results: Promise<string[]>;
function typecheckAll(): void {
  const esm = path.join(dir, 'esm');
  results = Promise.all([
    ...MODES.map(([, project, flags]) => typecheck(path.join(dir, project), flags, ['consumer.ts'])),
    // (Library checks off: @types/koa does not check against the content-disposition this repo has.)
    typecheck(esm, ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--esModuleInterop'], writeSnippets(esm), true),
  ]);
}

describe('the packed package type-checks in every module mode', () => {
  MODES.forEach(([title], i) => {
    test(title, async () => {
      assert.equal((await results)[i], '');
    });
  });
});

test('every TypeScript snippet of the README compiles under --strict against the package', async () => {
  assert.equal((await results)[MODES.length], '');
});
