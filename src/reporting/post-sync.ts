// A POST that completes before the call returns, for a process about to end (no later turn of the
// event loop will come). Node has no synchronous HTTP client, so a short-lived child Node process
// sends the request while this one waits for it (spawnSync), bounded by a timeout.
import { createRequire } from 'node:module';
import type * as ChildProcess from 'node:child_process';

// Loaded when first needed (a process ending with spans queued), not at every start.
const childProcess = (): typeof ChildProcess => createRequire(`${process.cwd()}/`)('node:child_process') as typeof ChildProcess;

// The child reads [4-byte length][JSON {url, headers}][body] from stdin, so that neither the
// endpoint's credentials nor header values appear in its command line or environment.
const CHILD = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', () => {
  const input = Buffer.concat(chunks);
  const length = input.readUInt32BE(0);
  const { url, headers } = JSON.parse(input.subarray(4, 4 + length).toString());
  const body = input.subarray(4 + length);
  const transport = require(url.startsWith('https:') ? 'node:https' : 'node:http');
  const request = transport.request(url, { method: 'POST', headers: { ...headers, 'Content-Length': body.length } }, (response) => {
    response.resume();
    response.on('end', () => process.exit(response.statusCode >= 200 && response.statusCode < 300 ? 0 : 2));
  });
  request.on('error', () => process.exit(3));
  request.end(body);
});
`;

/** True when the endpoint answered 2xx within `timeoutMs`. Never throws. */
export function postSync(url: string, headers: Record<string, string>, body: Uint8Array, timeoutMs: number): boolean {
  try {
    const meta = Buffer.from(JSON.stringify({ url, headers }));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(meta.length, 0);
    const env = { ...process.env };
    // The child must not preload this package again (nor anything else the app preloads).
    delete env['NODE_OPTIONS'];
    const result = childProcess().spawnSync(process.execPath, ['-e', CHILD], {
      input: Buffer.concat([length, meta, body]),
      env,
      timeout: timeoutMs,
      stdio: ['pipe', 'ignore', 'ignore'],
      windowsHide: true,
    });
    return result.status === 0;
  } catch {
    return false;
  }
}
