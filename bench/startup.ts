// What the `register` preload adds to every process start: from process start to the first line
// the app prints, with and without the preload, in an app folder where one instrumented library is
// installed (or none). Each app folder links one package from this repository's node_modules.
// Figures: wall time (performance.now() at the first line: Node's own clock from process start)
// and the process's CPU time (user + system, every thread, including a module-hooks thread), the
// median over `--runs` interleaved runs. CPU time is the steadier figure on a busy machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, median, numberFlag, table, textFlag } from './harness.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
// `--package DIR`: another checkout's built package, to compare two versions (default: this one; `npm run build` first).
const packageDir = path.resolve(textFlag('package', repo));
if (!existsSync(path.join(packageDir, 'dist', 'cjs', 'register.js'))) throw new Error(`${packageDir} has no dist/: run npm run build`);
const runs = numberFlag('runs', 15);
// app name → [package name as the app requires it, folder in this repo's node_modules]
const APPS: Record<string, [string, string] | null> = {
  'no library': null,
  'express 5': ['express', 'express'],
  'express 4': ['express', 'express4'],
  'koa 3': ['koa', 'koa'],
  'koa 2': ['koa', 'koa2'],
  'fastify 5': ['fastify', 'fastify'],
  'fastify 4': ['fastify', 'fastify4'],
};
const wanted = textFlag('apps', Object.keys(APPS).join(',')).split(',');

const FIRST_LINE = 'const u = process.cpuUsage(); console.log(performance.now(), (u.user + u.system) / 1000);';

function makeApp(root: string, library: [string, string] | null): string {
  const dir = mkdtempSync(path.join(root, 'app-'));
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
  writeFileSync(path.join(dir, 'app.cjs'), `${FIRST_LINE}\n`);
  writeFileSync(path.join(dir, 'app.mjs'), `${FIRST_LINE}\n`);
  mkdirSync(path.join(dir, 'node_modules'));
  // The package under test, resolved from the app folder, as a user's app would have it.
  symlinkSync(packageDir, path.join(dir, 'node_modules', 'opentracing-async-instrumentation'), 'dir');
  if (library !== null) symlinkSync(path.join(repo, 'node_modules', library[1]), path.join(dir, 'node_modules', library[0]), 'dir');
  return dir;
}

type Variant = [label: string, args: string[]];
const VARIANTS: Variant[] = [
  ['plain', ['app.cjs']],
  ['-r register', ['-r', 'opentracing-async-instrumentation/register', 'app.cjs']],
  ['--import register', ['--import', 'opentracing-async-instrumentation/register', 'app.mjs']],
];

function once(dir: string, args: string[]): [number, number] {
  const result = spawnSync(process.execPath, args, {
    cwd: dir,
    env: { PATH: process.env['PATH'], OTEL_TRACES_EXPORTER: 'none', JAEGER_SERVICE_NAME: 'startup' },
    encoding: 'utf8',
  });
  const [wall, cpu] = result.stdout.trim().split(/\s+/).map(Number);
  if (result.status !== 0 || !Number.isFinite(wall) || !Number.isFinite(cpu)) throw new Error(`run failed: ${result.stderr}`);
  return [wall!, cpu!];
}

const root = mkdtempSync(path.join(tmpdir(), 'oai-startup-'));
try {
  const rows: (string | number)[][] = [];
  for (const name of wanted) {
    const library = APPS[name];
    if (library === undefined) throw new Error(`unknown app ${name} (known: ${Object.keys(APPS).join(', ')})`);
    const dir = makeApp(root, library);
    const samples = VARIANTS.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
    for (let i = 0; i < runs; i++) {
      VARIANTS.forEach(([, args], v) => {
        const [wall, cpu] = once(dir, args);
        samples[v]!.wall.push(wall);
        samples[v]!.cpu.push(cpu);
      });
    }
    const [plainWall, plainCpu] = [median(samples[0]!.wall), median(samples[0]!.cpu)];
    VARIANTS.forEach(([label], v) => {
      const wall = median(samples[v]!.wall);
      const cpu = median(samples[v]!.cpu);
      rows.push([name, label, wall.toFixed(1), v === 0 ? '' : `+${(wall - plainWall).toFixed(1)}`, cpu.toFixed(1), v === 0 ? '' : `+${(cpu - plainCpu).toFixed(1)}`]);
    });
  }
  console.log(env());
  console.log(table(`startup: process start to first line (median of ${runs} interleaved runs)`,
    ['app has', 'start', 'wall ms', 'added', 'CPU ms', 'added'], rows));
} finally {
  rmSync(root, { recursive: true, force: true });
}
