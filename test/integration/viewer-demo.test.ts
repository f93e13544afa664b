// `demo` with a viewer already running: it sends to that viewer instead of starting its own, and
// the example services' spans arrive there, over three transports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { services } from '../../src/viewer/query.js';
import { startTestViewer } from '../support/viewer.js';

test('demo reuses a running viewer', async () => {
  const viewer = await startTestViewer();
  const demo = spawn(process.execPath, ['dist/esm/cli.js', 'demo', '--ui-port', String(viewer.ports.uiPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URLs in 60 s:\n${output}`)), 60_000);
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/Press Ctrl-C/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      demo.stdout.on('data', read);
      demo.stderr.on('data', read);
      demo.once('exit', (code) => reject(new Error(`demo exited ${code}:\n${output}`)));
    });
    assert.match(output, new RegExp(`using the viewer already running at http://127\\.0\\.0\\.1:${viewer.ports.uiPort}/`));
    const urls = [...output.matchAll(/http:\/\/127\.0\.0\.1:(\d+)\/trace\/([0-9a-f]{32})/g)];
    assert.equal(urls.length, 5, output);
    for (const [, port, traceID] of urls) {
      assert.equal(Number(port), viewer.ports.uiPort);
      assert.ok(viewer.store.get(traceID!) !== undefined, `trace ${traceID} is in the running viewer`);
    }
    assert.deepEqual(services(viewer.store), ['gateway', 'inventory', 'orders']);
    assert.ok(viewer.receivers.udpCompact.spans > 0 && viewer.receivers.otlp.spans > 0 && viewer.receivers.collector.spans > 0, 'each service its own transport');
  } finally {
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
    await viewer.close();
  }
});
