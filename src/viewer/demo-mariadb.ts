// The demo's throwaway MariaDB, started the way test/support/mariadb.ts starts one: a fresh data
// directory, `mariadbd` on a free loopback port, one database and one user with a random password
// created by an init file (which also seeds the demo's table), tuned to start in about a second.
// Everything is removed by `stop()`, and by the process's exit if the demo dies without stopping.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface DemoMariaDb {
  host: '127.0.0.1';
  port: number;
  database: string;
  user: string;
  password: string;
  stop(): Promise<void>;
}

// A small footprint, nothing kept durable: the data lives as long as the demo.
const LEAN = [
  '--skip-name-resolve', '--skip-log-bin', '--innodb-buffer-pool-size=16M', '--innodb-log-file-size=4M',
  '--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0', '--performance-schema=0', '--max-connections=50',
];

function findBinary(names: readonly string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];
  for (const name of names) {
    for (const dir of dirs) {
      if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Resolves once MariaDB says it is ready and its port accepts a connection; rejects if it exits. */
function waitReady(child: ChildProcess, port: number, errorLog: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) resolve();
      else reject(error);
    };
    child.once('exit', (code, signal) => done(new Error(`mariadbd exited with ${code ?? signal}`)));
    child.once('error', (error) => done(error));
    const timer = setTimeout(() => done(new Error(`mariadbd not ready within ${timeoutMs} ms`)), timeoutMs);
    const probe = (): void => {
      if (settled) return;
      if (!readLog(errorLog).includes('ready for connections')) return void setTimeout(probe, 25);
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done();
      });
      socket.once('error', () => setTimeout(probe, 25));
    };
    probe();
  });
}

/** Why MariaDB cannot run here, or undefined when its programs are installed. */
export function mariaDbMissing(): string | undefined {
  if (findBinary(['mariadbd', 'mysqld']) === undefined) return 'mariadbd is not installed';
  if (findBinary(['mariadb-install-db', 'mysql_install_db']) === undefined) return 'mariadb-install-db is not installed';
  return undefined;
}

/** Starts a fresh MariaDB with the demo's `stock` table; `seedSql` runs once, as root, at start-up. */
export async function startDemoMariaDb(seedSql: string): Promise<DemoMariaDb> {
  const server = findBinary(['mariadbd', 'mysqld']);
  const install = findBinary(['mariadb-install-db', 'mysql_install_db']);
  if (server === undefined || install === undefined) throw new Error(mariaDbMissing());
  const settings = { database: 'demo', user: 'demo', password: randomBytes(12).toString('hex') };
  // Short: a Unix socket path is limited to ~107 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'demo-mdb-'));
  const dataDir = join(dir, 'data');
  const errorLog = join(dir, 'error.log');
  const initSql = join(dir, 'init.sql');
  let child: ChildProcess | undefined;
  // The demo may end without calling stop() (an uncaught error, process.exit): leave nothing behind.
  const onExit = (): void => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(install, ['--no-defaults', `--datadir=${dataDir}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db', ...LEAN],
        (error, _stdout, stderr) => {
          if (error === null) return resolve();
          const lines = String(stderr).trim().split('\n');
          reject(new Error(`mariadb-install-db failed: ${lines.find((line) => line.includes('[ERROR]')) ?? lines.pop() ?? error.message}`));
        });
    });
    writeFileSync(initSql, [
      `CREATE DATABASE \`${settings.database}\`;`,
      `CREATE USER '${settings.user}'@'127.0.0.1' IDENTIFIED BY '${settings.password}';`,
      `GRANT ALL ON \`${settings.database}\`.* TO '${settings.user}'@'127.0.0.1';`,
      `USE \`${settings.database}\`;`,
      seedSql,
      '',
    ].join('\n'));
    const port = await freePort();
    child = spawn(server, [
      '--no-defaults', `--datadir=${dataDir}`, '--user=root', '--bind-address=127.0.0.1', `--port=${port}`,
      `--socket=${join(dir, 'sock')}`, `--pid-file=${join(dir, 'pid')}`, `--log-error=${errorLog}`, `--init-file=${initSql}`,
      `--tmpdir=${dir}`, ...LEAN,
    ], { stdio: 'ignore' });
    await waitReady(child, port, errorLog, 15_000);
    const running = child;
    const exited = new Promise<void>((resolve) => {
      if (running.exitCode !== null || running.signalCode !== null) resolve();
      else running.once('exit', () => resolve());
    });
    return {
      host: '127.0.0.1',
      port,
      ...settings,
      async stop(): Promise<void> {
        // Nothing in it needs to survive the demo: no graceful shutdown.
        running.kill('SIGKILL');
        await exited;
        process.removeListener('exit', onExit);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    onExit();
    process.removeListener('exit', onExit);
    throw error;
  }
}
