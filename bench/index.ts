// `npm run bench [name...]`: runs each benchmark script in its own process (so one cannot warm up
// or slow down another) and prints their tables. Names: spans, encoding-jaeger, encoding-otlp,
// http-client, http-server, http-server-cpu, startup, mysql (starts a throwaway MariaDB), aws, viewer.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['spans', 'encoding-jaeger', 'encoding-otlp', 'http-client', 'http-server', 'http-server-cpu', 'startup', 'mysql', 'aws', 'viewer'];
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
let failed = false;
for (const name of wanted) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`no benchmark named ${name} (known: ${all.join(', ')})`);
    failed = true;
    continue;
  }
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
