// The npm tarball holds what users need and nothing else: built code, types, README, LICENSE, and
// the demo's example services (`opentracing-async-instrumentation demo` starts them).
import { execFileSync } from 'node:child_process';

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const files = pack.files.map((f) => f.path);
const unexpected = files.filter((f) => !/^(dist\/(esm|cjs)\/.+\.(js|d\.ts)|dist\/(esm|cjs)\/package\.json|package\.json|README\.md|LICENSE|examples\/demo\/[a-z-]+\.mjs)$/.test(f));
const required = ['dist/esm/index.js', 'dist/cjs/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.d.ts', 'dist/esm/register.js', 'dist/cjs/register.js', 'README.md', 'LICENSE', 'dist/esm/cli.js', 'examples/demo/gateway.mjs', 'examples/demo/orders.mjs', 'examples/demo/inventory.mjs'];
const missing = required.filter((f) => !files.includes(f));
if (unexpected.length > 0 || missing.length > 0) {
  console.error('npm pack contents are wrong', { unexpected, missing });
  process.exit(1);
}
console.log(`npm pack: ${files.length} files, ${(pack.size / 1024).toFixed(1)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked`);
