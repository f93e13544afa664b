// The built bin (`dist/esm/cli.js`) as a user runs it: --help, chosen ports printed, a port in use
// as a one-line error naming the flag, and --store keeping traces across a restart (a torn or
// corrupt tail is skipped).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'dist/esm/cli.js';
const ZERO = ['--udp-port', '0', '--udp-binary-port', '0', '--collector-port', '0', '--otlp-port', '0', '--ui-port', '0', '--sampling-port', '0'];

interface Running { child: ChildProcess; out: string; ui: string; otlp: string }

async function startView(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'view', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ports printed: ${out}`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ui = /Trace viewer: (http:\S+)/.exec(out)?.[1];
      const otlp = /OTLP\/HTTP\s+(http:\S+)/.exec(out)?.[1];
      if (ui !== undefined && otlp !== undefined && /Stored spans/.test(out)) {
        clearTimeout(timer);
        resolve({ child, out, ui, otlp });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.removeAllListeners('exit');
    running.child.once('exit', (code) => resolve(code));
    running.child.kill('SIGTERM');
  });
}

describe('opentracing-async-instrumentation view', () => {
  it('--help lists every flag with its default', () => {
    const result = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    assert.equal(result.status, 0);
    for (const flag of ['--udp-port PORT', '--udp-binary-port', '--collector-port', '--otlp-port', '--ui-port', '--sampling-port', '--sampling-strategies', '--host', '--store', '--max-spans', '--help']) {
      assert.ok(result.stdout.includes(flag), flag);
    }
    assert.match(result.stdout, /--ui-port PORT\s+.*\(default: 16686\)/);
    assert.match(result.stdout, /--host HOST\s+.*\(default: 127\.0\.0\.1\)/);
  });

  it('a port in use is a one-line error naming the port and its flag', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const args = [...ZERO.slice(0, 8), '--ui-port', String(port), '--sampling-port', '0'];
      const result = spawnSync(process.execPath, [CLI, 'view', ...args], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(result.status, 1);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, new RegExp(`port ${port} is already in use \\(--ui-port\\)`));
    } finally {
      blocker.close();
    }
    const bad = spawnSync(process.execPath, [CLI, 'view', '--otlp-port', 'x'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--otlp-port "x": expected a port/);
  });

  it('prints the chosen ports, and --store keeps traces across a restart, skipping a corrupt tail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'viewer-store-'));
    const file = join(dir, 'traces.jsonl');
    try {
      const first = await startView([...ZERO, '--store', file]);
      assert.doesNotMatch(first.ui, /:0\//);
      const trace = '12'.repeat(16);
      const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'kept' } }] }, scopeSpans: [{ spans: [{ traceId: trace, spanId: '34'.repeat(8), name: 'survives', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000002000000' }] }] }] });
      const posted = await fetch(first.otlp, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(posted.status, 200);
      assert.equal(await stop(first), 0);
      assert.match(readFileSync(file, 'utf8'), /survives/);
      appendFileSync(file, '[{"traceID":"torn'); // a write cut short by a crash

      const second = await startView([...ZERO, '--store', file]);
      try {
        assert.match(second.out, /skipped 1 unreadable line/);
        assert.match(second.out, /Stored spans\s+1 \(read back/);
        const shown = (await (await fetch(`${second.ui}api/traces/${trace}`)).json()) as { data: { spans: { operationName: string }[] }[] };
        assert.equal(shown.data[0]!.spans[0]!.operationName, 'survives');
      } finally {
        await stop(second);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
