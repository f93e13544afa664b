// Shared by the benchmark scripts: timing with warm-up and several rounds, median of the rounds,
// and a markdown table. Ratios are always against a baseline measured in the same process.
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Measurement {
  name: string;
  nsPerOp: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Times `batch` calls of `op` per sample; `between` (not timed) runs after each sample, e.g. to
 * drain a queue so that every sample measures the same steady state. Returns the median ns/op.
 */
export async function measure(
  op: () => unknown,
  options: { batch?: number; samples?: number; warmup?: number; between?: () => unknown } = {},
): Promise<number> {
  const { batch = 5000, samples = 31, warmup = 10, between } = options;
  const results: number[] = [];
  for (let s = 0; s < warmup + samples; s++) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) op();
    const elapsed = performance.now() - start;
    if (s >= warmup) results.push((elapsed * 1e6) / batch);
    if (between !== undefined) await between();
  }
  return median(results);
}

/** Like `measure` for an async operation awaited one at a time. */
export async function measureAsync(
  op: () => Promise<unknown>,
  options: { batch?: number; samples?: number; warmup?: number; between?: () => unknown } = {},
): Promise<number> {
  const { batch = 2000, samples = 21, warmup = 5, between } = options;
  const results: number[] = [];
  for (let s = 0; s < warmup + samples; s++) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) await op();
    const elapsed = performance.now() - start;
    if (s >= warmup) results.push((elapsed * 1e6) / batch);
    if (between !== undefined) await between();
  }
  return median(results);
}

export function table(title: string, header: string[], rows: (string | number)[][]): string {
  const fmt = (v: string | number): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 0)) : v);
  const lines = [`### ${title}`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map(fmt).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export function env(): string {
  return `Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** The value after `--name` on the command line, or `fallback`. */
export function textFlag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 || i + 1 >= process.argv.length ? fallback : process.argv[i + 1]!;
}

/** `textFlag` as a number. */
export function numberFlag(name: string, fallback: number): number {
  return Number(textFlag(name, String(fallback)));
}

/** The Express app the server benchmarks build (typed here: Express is a dev dependency without types). */
export interface ExpressApp extends http.RequestListener {
  get(path: string, fn: (req: unknown, res: { send(body: string): void }, next: (error: unknown) => void) => void): void;
}

/** Whether `command` is on the PATH (taskset, wrk). */
export function hasCommand(command: string): boolean {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Enters an AsyncLocalStorage store around each request's listeners of every node:http server, as
 * tracing does, but records nothing: the floor any context propagation pays.
 */
export function enterStorePerRequest(): void {
  const store = new AsyncLocalStorage<object>();
  const value = {};
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol): boolean {
    return event === 'request'
      ? store.run(value, Reflect.apply, emit, this, arguments) as boolean
      : Reflect.apply(emit, this, arguments) as boolean;
  } as typeof emit;
}

/** A busy loop that takes about `micros` µs of CPU, calibrated here (reading the clock in it would cost more than 1 µs does). */
export function spinner(micros: number): () => void {
  let state = 1;
  const loop = (iterations: number): void => {
    for (let i = 0; i < iterations; i++) state = (Math.imul(state, 1103515245) + 12345) | 0;
  };
  loop(1e6); // compiled
  const start = process.hrtime.bigint();
  loop(2e7);
  const perMicro = 2e7 / (Number(process.hrtime.bigint() - start) / 1000);
  const iterations = Math.round(perMicro * micros);
  return () => {
    loop(iterations);
    if (state === 0.5) process.stdout.write(''); // keeps `state` live
  };
}
