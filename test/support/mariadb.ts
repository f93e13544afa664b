// A throwaway MariaDB (Debian's `mariadb-server`) for one test file: a fresh data directory,
// `mariadbd` on a free loopback port and its own socket, one database and one user with a password
// (created by an init file, so no client program is needed), all removed by `stop()`. Tuned to start
// in a few hundred milliseconds: tiny buffer pool and redo log, no binary log, no fsync per commit.
// If MariaDB cannot start, `startMariaDb` rejects with MariaDB's own error output.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface MariaDb {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The server's Unix socket (root may log in there without a password). */
  readonly socketPath: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** A second user with rights to `KILL` any connection and read every process (for the kill test). */
  readonly adminUser: string;
  readonly adminPassword: string;
  /** MariaDB's error log so far (start-up notes, warnings, aborted connections). */
  log(): string;
  stop(): Promise<void>;
}

export interface MariaDbOptions {
  database?: string;
  user?: string;
  /** Defaults to a random one; tests scanning for leaks pass their own canary. */
  password?: string;
  /** More SQL run once at start-up, as root, after the database and users exist. */
  initSql?: string;
}

const SERVER_BINARIES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'];
const INSTALL_BINARY = 'mariadb-install-db';

// Options for both the bootstrap and the server: a small footprint, nothing kept durable.
const LEAN = [
  '--skip-name-resolve',
  '--skip-log-bin',
  '--innodb-buffer-pool-size=16M',
  '--innodb-log-file-size=4M',
  '--innodb-flush-log-at-trx-commit=0',
  '--innodb-doublewrite=0',
  '--performance-schema=0',
  '--skip-innodb-adaptive-hash-index',
  '--max-connections=200',
];

function serverBinary(): string {
  for (const candidate of SERVER_BINARIES) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  throw new Error(`MariaDB server not found (looked for ${SERVER_BINARIES.join(', ')}): apt-get install mariadb-server`);
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function initFile(options: Required<Omit<MariaDbOptions, 'initSql'>>, admin: { user: string; password: string }, extra: string): string {
  const { database, user, password } = options;
  return [
    `CREATE DATABASE \`${database}\`;`,
    // 127.0.0.1 and localhost: TCP with --skip-name-resolve sees the address.
    `CREATE USER ${quote(user)}@'127.0.0.1' IDENTIFIED BY ${quote(password)};`,
    `GRANT ALL ON \`${database}\`.* TO ${quote(user)}@'127.0.0.1';`,
    `CREATE USER ${quote(admin.user)}@'127.0.0.1' IDENTIFIED BY ${quote(admin.password)};`,
    `GRANT ALL ON *.* TO ${quote(admin.user)}@'127.0.0.1';`,
    extra,
    '',
  ].join('\n');
}

function randomSecret(): string {
  return `pw-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

/** Resolves once the port accepts a connection and MariaDB says it is ready; rejects if it exits. */
function waitReady(child: ChildProcess, port: number, errorLog: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const started = Date.now();
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`MariaDB did not start (${reason}). Its error log:\n${readLog(errorLog)}`));
    };
    child.once('exit', (code, signal) => fail(`mariadbd exited with ${code ?? signal}`));
    child.once('error', (error) => fail(error.message));
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    const probe = (): void => {
      if (settled) return;
      if (!readLog(errorLog).includes('ready for connections')) {
        setTimeout(probe, 25);
        return;
      }
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve();
      });
      socket.once('error', () => {
        if (Date.now() - started < timeoutMs) setTimeout(probe, 25);
      });
    };
    probe();
  });
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '(no error log written)';
  }
}

/** Starts a fresh MariaDB; see the file comment. */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDb> {
  const settings = {
    database: options.database ?? 'app',
    user: options.user ?? 'app_user',
    password: options.password ?? randomSecret(),
  };
  const admin = { user: 'test_admin', password: randomSecret() };
  const server = serverBinary();
  // Short: a Unix socket path is limited to ~107 bytes.
  const dir = mkdtempSync(path.join(tmpdir(), 'mdb-'));
  const dataDir = path.join(dir, 'data');
  const errorLog = path.join(dir, 'error.log');
  const socketPath = path.join(dir, 'sock');
  const initSql = path.join(dir, 'init.sql');
  const cleanUp = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const install = spawnSync(INSTALL_BINARY, [
      '--no-defaults', `--datadir=${dataDir}`, '--user=root', '--auth-root-authentication-method=socket',
      '--skip-test-db', ...LEAN,
    ], { encoding: 'utf8' });
    if (install.error !== undefined || install.status !== 0) {
      throw new Error(`mariadb-install-db failed (${install.error?.message ?? `exit ${install.status}`}):\n${install.stdout}\n${install.stderr}`);
    }
    writeFileSync(initSql, initFile(settings, admin, options.initSql ?? ''));
  } catch (error) {
    cleanUp();
    throw error;
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    rmSync(errorLog, { force: true });
    const child = spawn(server, [
      '--no-defaults', `--datadir=${dataDir}`, '--user=root', '--bind-address=127.0.0.1', `--port=${port}`,
      `--socket=${socketPath}`, `--pid-file=${path.join(dir, 'pid')}`, `--log-error=${errorLog}`, `--init-file=${initSql}`,
      `--tmpdir=${dir}`, ...LEAN,
    ], { stdio: 'ignore' });
    try {
      await waitReady(child, port, errorLog, 20_000);
    } catch (error) {
      child.kill('SIGKILL');
      // Someone took the port between our probe and mariadbd's bind: try another one.
      if (attempt < 3 && /Bind on TCP\/IP port|Address already in use/.test(readLog(errorLog))) continue;
      cleanUp();
      throw error;
    }
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    return {
      host: '127.0.0.1',
      port,
      socketPath,
      ...settings,
      adminUser: admin.user,
      adminPassword: admin.password,
      log: () => readLog(errorLog),
      async stop(): Promise<void> {
        // Nothing here needs to outlive the test: no graceful shutdown (it would wait for queries still sleeping).
        child.kill('SIGKILL');
        await exited;
        cleanUp();
      },
    };
  }
}
