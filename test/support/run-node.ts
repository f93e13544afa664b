import { spawn } from 'node:child_process';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit. */
  ms: number;
}

/**
 * Runs `source` (TypeScript, ESM, top-level await allowed) in a child Node process through tsx,
 * from the repository root, so it can import `./src/...ts`.
 */
export function runNode(source: string, options: { nodeFlags?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<NodeRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', '--input-type=module', '-e', source], {
      cwd: new URL('../..', import.meta.url),
      env: options.env ?? process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/**
 * Runs `node ...args` (an app, usually under the register preload) from `cwd` with `env` and PATH
 * only, so the test's own variables do not leak in; killed after `timeoutMs`.
 */
export function runApp(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<NodeRun> {
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  return new Promise((resolve) => child.on('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr, ms: Date.now() - started });
  }));
}

/** The environment that points a preloaded app's tracer at a UDP agent, sampling everything. */
export function agentEnv(service: string, agent: { host: string; port: number }): NodeJS.ProcessEnv {
  return {
    JAEGER_SERVICE_NAME: service,
    JAEGER_AGENT_HOST: agent.host,
    JAEGER_AGENT_PORT: String(agent.port),
    JAEGER_SAMPLER_TYPE: 'const',
    JAEGER_SAMPLER_PARAM: '1',
  };
}
