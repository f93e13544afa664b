// The `mariadb` connector (3.x) publishes nothing, and its classes are not exported (the CommonJS
// build is one bundle whose exports are getters). This hook wraps the factories of its promise
// API (`mariadb`) and of its callback API (`mariadb/callback`), `createConnection` and
// `createPool`, and, from the first connection or pool they return, the methods of its class:
// `query`, `execute`, `batch`, `queryStream`, `beginTransaction`, `commit`, `rollback`, and a
// pool's `getConnection` (whose callback then runs in the caller's context, also when queued). Statements and connects are published on
// TracingChannels of ours with mysql2's payload. What a connection talks to is remembered per
// object at creation; never its password.
import { AsyncResource } from 'node:async_hooks';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { HOOK_MARIADB_CONNECT, HOOK_MARIADB_QUERY } from './channels.js';
import { bindEmitterScope, isFunction, messageFor, noop, traceEmitter } from './sql-tracing.js';
import type { AnyMethod, Callback, ConnectionConfig } from './sql-tracing.js';

/** Which of the connector's APIs an object belongs to. */
type Api = 'promise' | 'callback';
import { replaceMethod } from './wrap.js';

export const queryChannel = diagnosticsChannel.tracingChannel(HOOK_MARIADB_QUERY);
export const connectChannel = diagnosticsChannel.tracingChannel(HOOK_MARIADB_CONNECT);

/** The server, account and database of each connection and pool we saw created. */
const targets = new WeakMap<object, ConnectionConfig>();

const STATEMENT_METHODS = ['query', 'execute', 'batch'] as const;
const TRANSACTION_STATEMENTS = { beginTransaction: 'START TRANSACTION', commit: 'COMMIT', rollback: 'ROLLBACK' } as const;

/** Host, port, user, database and socket of `mariadb`'s options (an object or a `mariadb://` URI). */
export function targetOf(options: unknown): ConnectionConfig {
  if (typeof options === 'string') {
    try {
      const url = new URL(options);
      return {
        host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port === '' ? 3306 : Number(url.port),
        user: decodeURIComponent(url.username),
        database: decodeURIComponent(url.pathname.slice(1)),
      };
    } catch {
      return {};
    }
  }
  if (options === null || typeof options !== 'object') return {};
  const { host, port, user, database, socketPath } = options as Record<string, unknown>;
  return { host: host ?? 'localhost', port: typeof port === 'number' ? port : Number(port ?? 3306), user, database, socketPath };
}

function statementOf(sql: unknown): unknown {
  return sql !== null && typeof sql === 'object' ? (sql as { sql?: unknown }).sql : sql;
}

function valuesOf(sql: unknown, values: unknown): unknown {
  return values ?? (sql !== null && typeof sql === 'object' ? (sql as { values?: unknown }).values : undefined);
}

function wrapStatement(original: AnyMethod): AnyMethod {
  return function statement(this: unknown, sql: unknown, values: unknown) {
    const call = original as (this: unknown, ...args: unknown[]) => Promise<unknown>;
    if (!queryChannel.hasSubscribers) return call.apply(this, arguments as unknown as unknown[]);
    const message = messageFor(targets.get(this as object), statementOf(sql), valuesOf(sql, values));
    return queryChannel.tracePromise(() => call.apply(this, arguments as unknown as unknown[]), message);
  };
}

/** The callback API: the callback is the last function argument; without one, `query` still returns its command. */
function wrapCallbackStatement(name: string, original: AnyMethod): AnyMethod {
  return function statement(this: unknown, sql: unknown, values: unknown, cb: unknown) {
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    const args = [...(arguments as unknown as unknown[])];
    if (!queryChannel.hasSubscribers) return call.apply(this, args);
    const position = isFunction(values) ? 1 : isFunction(cb) ? 2 : -1;
    const message = messageFor(targets.get(this as object), statementOf(sql), isFunction(values) ? valuesOf(sql, undefined) : valuesOf(sql, values));
    if (position !== -1) return queryChannel.traceCallback(call, position, message, this, ...args);
    return name === 'query' ? traceEmitter(queryChannel, message, () => call.apply(this, args)) : call.apply(this, args);
  };
}

/** The callback API's `commit(cb)` / `rollback(cb)`: traced when given a callback. */
function wrapCallbackTransaction(sql: string, original: AnyMethod): AnyMethod {
  return function transaction(this: unknown, cb: unknown) {
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    if (!queryChannel.hasSubscribers || !isFunction(cb)) return call.apply(this, arguments as unknown as unknown[]);
    return queryChannel.traceCallback(call, 0, messageFor(targets.get(this as object), sql, undefined), this, cb);
  };
}

function wrapTransaction(sql: string, original: AnyMethod): AnyMethod {
  return function transaction(this: unknown) {
    const call = original as (this: unknown, ...args: unknown[]) => Promise<unknown>;
    if (!queryChannel.hasSubscribers) return call.apply(this, arguments as unknown as unknown[]);
    return queryChannel.tracePromise(() => call.apply(this, arguments as unknown as unknown[]), messageFor(targets.get(this as object), sql, undefined));
  };
}

/** `queryStream`: one span until the stream ends, closes or fails; its events in the caller's context. */
function wrapQueryStream(original: AnyMethod): AnyMethod {
  return function queryStream(this: unknown, sql: unknown, values: unknown) {
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    if (!queryChannel.hasSubscribers) return call.apply(this, arguments as unknown as unknown[]);
    const message = messageFor(targets.get(this as object), statementOf(sql), valuesOf(sql, values));
    let stream: unknown;
    void queryChannel.tracePromise(() => new Promise<void>((resolve, reject) => {
      stream = call.apply(this, arguments as unknown as unknown[]);
      let failure: unknown;
      let failed = false;
      bindEmitterScope(stream, (event, args) => {
        if (event !== 'error') return;
        failed = true;
        failure = args[0];
      }, (event) => {
        if (event !== 'end' && event !== 'close') return;
        if (failed) reject(failure);
        else resolve();
      });
    }), message).catch(noop);
    return stream;
  };
}

const patchedClasses = new WeakSet<object>();
const undoClasses: (() => void)[] = [];

/** Wraps the methods of the class of `connection` (once per class). */
function patchConnectionClass(connection: unknown, api: Api): void {
  if (connection === null || typeof connection !== 'object') return;
  const proto = Object.getPrototypeOf(connection) as Record<string, AnyMethod> | null;
  if (proto === null || patchedClasses.has(proto)) return;
  patchedClasses.add(proto);
  for (const name of STATEMENT_METHODS) {
    if (!isFunction(proto[name])) continue;
    undoClasses.push(replaceMethod(proto, name, (original) => (api === 'promise' ? wrapStatement(original) : wrapCallbackStatement(name, original))));
  }
  for (const [name, sql] of Object.entries(TRANSACTION_STATEMENTS)) {
    // the callback API's beginTransaction is a `query('START TRANSACTION')`: traced there
    if (!isFunction(proto[name]) || (api === 'callback' && name === 'beginTransaction')) continue;
    undoClasses.push(replaceMethod(proto, name, (original) => (api === 'promise' ? wrapTransaction(sql, original) : wrapCallbackTransaction(sql, original))));
  }
  if (isFunction(proto.queryStream)) undoClasses.push(replaceMethod(proto, 'queryStream', wrapQueryStream));
  undoClasses.push(() => patchedClasses.delete(proto));
}

function remember(object: unknown, target: ConnectionConfig | undefined): void {
  if (target !== undefined && object !== null && typeof object === 'object') targets.set(object, target);
}

/** A pool's `getConnection`: the connection it hands out is remembered and its class patched. */
function wrapGetConnection(api: Api, original: AnyMethod): AnyMethod {
  return function getConnection(this: unknown, ...args: unknown[]) {
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    const target = targets.get(this as object);
    const adopt = (connection: unknown): void => {
      remember(connection, target);
      patchConnectionClass(connection, api);
    };
    if (api === 'callback') {
      const last = args.length - 1;
      const cb = args[last];
      if (isFunction(cb)) {
        // run in the caller's context even when the pool queues the request
        const bound = AsyncResource.bind(cb);
        args[last] = function acquired(this: unknown, error: unknown, connection: unknown) {
          if (error === null || error === undefined) adopt(connection);
          return bound.apply(this, arguments as unknown as unknown[]);
        } as Callback;
      }
      return call.apply(this, args);
    }
    const acquired = call.apply(this, args);
    if (!(acquired instanceof Promise)) return acquired;
    return acquired.then((connection: unknown) => {
      adopt(connection);
      return connection;
    });
  };
}

/** Wraps the methods of the class of `pool` (once per class): its statements, and the connections it hands out. */
function patchPoolClass(pool: unknown, api: Api): void {
  if (pool === null || typeof pool !== 'object') return;
  const proto = Object.getPrototypeOf(pool) as Record<string, AnyMethod> | null;
  if (proto === null || patchedClasses.has(proto)) return;
  patchedClasses.add(proto);
  for (const name of STATEMENT_METHODS) {
    if (!isFunction(proto[name])) continue;
    undoClasses.push(replaceMethod(proto, name, (original) => (api === 'promise' ? wrapStatement(original) : wrapCallbackStatement(name, original))));
  }
  if (isFunction(proto.getConnection)) undoClasses.push(replaceMethod(proto, 'getConnection', (original) => wrapGetConnection(api, original)));
  undoClasses.push(() => patchedClasses.delete(proto));
}

function wrapCreateConnection(api: Api, original: AnyMethod): AnyMethod {
  return function createConnection(this: unknown, options: unknown) {
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    const target = targetOf(options);
    if (api === 'callback') {
      // connects in the background (no connect span: its outcome only reaches 'error' listeners)
      const connection = call.apply(this, arguments as unknown as unknown[]);
      remember(connection, target);
      patchConnectionClass(connection, api);
      return connection;
    }
    const connected = connectChannel.hasSubscribers
      ? connectChannel.tracePromise(() => call.apply(this, arguments as unknown as unknown[]) as Promise<unknown>, messageFor(target, undefined, undefined))
      : call.apply(this, arguments as unknown as unknown[]);
    if (!(connected instanceof Promise)) return connected;
    return connected.then((connection: unknown) => {
      remember(connection, target);
      patchConnectionClass(connection, api);
      return connection;
    });
  };
}

function wrapCreatePool(api: Api, original: AnyMethod): AnyMethod {
  return function createPool(this: unknown, options: unknown) {
    const pool = (original as (this: unknown, ...args: unknown[]) => unknown).apply(this, arguments as unknown as unknown[]);
    remember(pool, targetOf(options));
    patchPoolClass(pool, api);
    return pool;
  };
}

/** Whether `target[key]` can be assigned (a bundle's exports are often getters only). */
function isAssignable(target: object, key: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  return descriptor === undefined || descriptor.writable === true || typeof descriptor.set === 'function';
}

function wrapFactories(api: Api, target: Record<string, AnyMethod>, undo: (() => void)[]): void {
  if (isFunction(target.createConnection)) undo.push(replaceMethod(target, 'createConnection', (original) => wrapCreateConnection(api, original)));
  if (isFunction(target.createPool)) undo.push(replaceMethod(target, 'createPool', (original) => wrapCreatePool(api, original)));
}

/**
 * Patches a `mariadb` module (`api`: the main entry's promise API or `mariadb/callback`'s; its
 * CommonJS exports or ESM namespace). Returns the undo, or, when the exports are getters that
 * cannot be assigned (the CommonJS bundles), exports to load instead with the undo.
 */
export function patchMariadb(api: Api, exports: unknown): (() => void) | { exports: unknown; undo: () => void } | null {
  if (exports === null || typeof exports !== 'object' || !isFunction((exports as { createConnection?: unknown }).createConnection)) return null;
  const undo: (() => void)[] = [];
  const restore = (): void => {
    for (const step of undo.splice(0).reverse()) step();
    for (const step of undoClasses.splice(0).reverse()) step();
  };
  const module = exports as Record<string, AnyMethod> & { default?: Record<string, AnyMethod> };
  const fallback = module.default;
  if (fallback !== null && typeof fallback === 'object') wrapFactories(api, fallback, undo);
  if (isAssignable(module, 'createConnection')) {
    wrapFactories(api, module, undo);
    return restore;
  }
  const replacement: Record<string, unknown> = { ...module };
  Object.defineProperty(replacement, '__esModule', { value: true });
  wrapFactories(api, replacement as Record<string, AnyMethod>, undo);
  return { exports: replacement, undo: restore };
}
