// What the SQL hooks share (mysql2 < 3.20, mysql 2.x): the payload of mysql2's own TracingChannels,
// and tracing an emitter-style call (row events, streams) without adding a listener to it.
import { AsyncResource } from 'node:async_hooks';
import type * as diagnosticsChannel from 'node:diagnostics_channel';

/** What mysql2's channels (and ours) publish for a statement. */
export interface SqlQueryMessage {
  query: unknown;
  values: unknown;
  database: string;
  serverAddress: string | undefined;
  serverPort: number | undefined;
  /** mysql2's own channels set it on connect messages only; ours on every message. */
  user?: string;
  error?: unknown;
  result?: unknown;
}

export type Callback = (...args: unknown[]) => unknown;
export type AnyMethod = (this: unknown, ...args: never[]) => unknown;
type Emitter = { emit: (event: string | symbol, ...args: unknown[]) => boolean };

export interface ConnectionConfig {
  database?: unknown;
  user?: unknown;
  host?: unknown;
  port?: unknown;
  socketPath?: unknown;
}

export const noop = (): void => {};

/** The peer as mysql2 3.20 describes it (`socketPath`, else host and port with their defaults). */
export function serverOf(config: ConnectionConfig | undefined): { serverAddress: string | undefined; serverPort: number | undefined } {
  if (config === undefined || config === null) return { serverAddress: undefined, serverPort: undefined };
  if (typeof config.socketPath === 'string' && config.socketPath !== '') return { serverAddress: config.socketPath, serverPort: undefined };
  return {
    serverAddress: typeof config.host === 'string' && config.host !== '' ? config.host : 'localhost',
    serverPort: typeof config.port === 'number' && config.port > 0 ? config.port : 3306,
  };
}

export function messageFor(config: ConnectionConfig | undefined, query: unknown, values: unknown): SqlQueryMessage {
  const { serverAddress, serverPort } = serverOf(config);
  const database = typeof config?.database === 'string' ? config.database : '';
  const user = typeof config?.user === 'string' ? config.user : '';
  return { query, values, database, serverAddress, serverPort, user };
}

export function isFunction(value: unknown): value is Callback {
  return typeof value === 'function';
}

/**
 * Makes every event `emitter` emits run in the async context current now (the caller's): a
 * command's events otherwise run in its socket's context, i.e. whoever opened the connection.
 * `onEmit` sees each event first. No listener is added.
 */
export function bindEmitterScope(emitter: unknown, onEmit?: (event: string | symbol, args: unknown[]) => void, afterEmit?: (event: string | symbol) => void): void {
  const target = emitter as Emitter | null;
  if (target === null || typeof target !== 'object' || typeof target.emit !== 'function') return;
  const scope = new AsyncResource('opentracing-async-instrumentation.sql');
  const emit = target.emit;
  target.emit = function scopedEmit(this: unknown, event: string | symbol, ...args: unknown[]): boolean {
    onEmit?.(event, args);
    try {
      return scope.runInAsyncScope(emit, this, event, ...args) as boolean;
    } finally {
      afterEmit?.(event);
    }
  };
}

/**
 * Traces an emitter-style call: `call()` returns the command; its 'end' (after an 'error' when it
 * failed) settles the trace, and every event it emits runs in the caller's async context.
 */
export function traceEmitter<T>(channel: diagnosticsChannel.TracingChannel<object, object>, message: object, call: () => T): T {
  let command: T | undefined;
  void channel.tracePromise(() => new Promise<void>((resolve, reject) => {
    command = call();
    let failure: unknown;
    let failed = false;
    const emitter = command as unknown as Emitter | null;
    if (emitter === null || typeof emitter !== 'object' || typeof emitter.emit !== 'function') {
      resolve();
      return;
    }
    bindEmitterScope(emitter, (event, args) => {
      if (event !== 'error') return;
      failed = true;
      failure = args[0];
    }, (event) => {
      if (event !== 'end') return;
      if (failed) reject(failure);
      else resolve();
    });
  }), message).catch(noop);
  return command as T;
}

/** Where `name` is defined on the prototype chain of `proto` (the class that owns it). */
export function ownerOf(proto: object | null, name: string): Record<string, AnyMethod> | null {
  for (let current = proto; current !== null && current !== Object.prototype; current = Object.getPrototypeOf(current) as object | null) {
    if (Object.prototype.hasOwnProperty.call(current, name)) return current as Record<string, AnyMethod>;
  }
  return null;
}


/** A class's prototype, or null when `value` is not a class. */
export function prototypeOf(value: unknown): object | null {
  if (typeof value !== 'function') return null;
  const proto = (value as { prototype?: unknown }).prototype;
  return proto !== null && typeof proto === 'object' ? proto : null;
}
