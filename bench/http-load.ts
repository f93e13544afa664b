// The load generator of bench/http-server.ts, pinned to core 1 with `taskset -c 1`: `wrk` when
// installed, otherwise this file run as a Node child process (`node --import tsx bench/http-load.ts
// <port> <seconds> <connections>`, prints `{ requests, seconds }`).
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

/** Bytes of the first complete response on a socket (header, blank line, Content-Length body). */
function responseLength(buffered: Buffer): number {
  const end = buffered.indexOf('\r\n\r\n');
  if (end === -1) return -1;
  const match = /content-length:\s*(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'));
  if (match === null) throw new Error('the benchmark servers must send Content-Length');
  return end + 4 + Number(match[1]);
}

/**
 * Keep-alive connections, one request in flight on each; prints how many responses completed.
 * Hello-world responses all have the same length (the Date header has a fixed width), so after
 * the first one a connection only counts bytes: the generator stays far cheaper than the server.
 */
export async function load(port: number, seconds: number, connections: number): Promise<void> {
  const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  let completed = 0;
  let running = true;
  const sockets: net.Socket[] = [];
  for (let c = 0; c < connections; c++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let size = -1;
    let first: Buffer | null = Buffer.alloc(0);
    let pending = 0;
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      if (first !== null) {
        first = Buffer.concat([first, chunk]);
        size = responseLength(first);
        if (size === -1 || first.length < size) return;
        pending = first.length;
        first = null;
      } else {
        pending += chunk.length;
      }
      while (pending >= size) {
        pending -= size;
        completed++;
        if (running) socket.write(request);
      }
    });
    socket.on('error', () => {});
    sockets.push(socket);
  }
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  const result = completed;
  for (const socket of sockets) socket.destroy();
  process.stdout.write(`${JSON.stringify({ requests: result, seconds })}\n`);
}

/** Requests per second that `port` served, with wrk or the Node generator, pinned to core 1. */
export function runLoad(port: number, seconds: number, connections: number, useWrk: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = useWrk
      ? ['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, `http://127.0.0.1:${port}/`]
      : ['-c', '1', process.execPath, '--import', 'tsx', self, String(port), String(seconds), String(connections)];
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    // 'close', not 'exit': the exit can come before the last of stdout has been read
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      if (useWrk) {
        const match = /Requests\/sec:\s*([\d.]+)/.exec(out);
        return match === null ? reject(new Error(`unexpected wrk output: ${out}`)) : resolve(Number(match[1]));
      }
      const { requests } = JSON.parse(out) as { requests: number };
      resolve(requests / seconds);
    });
  });
}

if (process.argv[1] === self) void load(Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4]));
