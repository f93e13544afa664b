// mysql2 before 3.20 publishes nothing. This hook traces the same calls mysql2 3.20 traces itself
// (`query`, `execute`, the connection handshake, `Pool#getConnection`) on mysql2's own
// TracingChannels with its payload, so one plugin serves both (only copies below 3.20 get it).
// One difference, on the safe side: `query` is the statement as written (placeholders), not with
// the values inlined.
// Emitter-style calls (no callback: row events, `.stream()`) get their events in the caller's
// async context, and no listener is added to the command (an unhandled 'error' stays unhandled).
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { MYSQL2_CONNECT, MYSQL2_EXECUTE, MYSQL2_POOL_CONNECT, MYSQL2_QUERY } from './channels.js';
import { bindEmitterScope, isFunction, messageFor, noop, ownerOf, prototypeOf, traceEmitter } from './sql-tracing.js';
import type { AnyMethod, Callback, ConnectionConfig, SqlQueryMessage } from './sql-tracing.js';
import { replaceMethod } from './wrap.js';

export const queryChannel = diagnosticsChannel.tracingChannel(MYSQL2_QUERY);
export const executeChannel = diagnosticsChannel.tracingChannel(MYSQL2_EXECUTE);
export const connectChannel = diagnosticsChannel.tracingChannel(MYSQL2_CONNECT);
export const poolConnectChannel = diagnosticsChannel.tracingChannel(MYSQL2_POOL_CONNECT);

interface Mysql2Connection {
  config?: ConnectionConfig;
  addCommand?: (command: unknown) => unknown;
}

function isCommand(value: unknown): value is { onResult?: Callback; sql?: unknown; values?: unknown } {
  return value !== null && typeof value === 'object' && typeof (value as { execute?: unknown }).execute === 'function'
    && typeof (value as { on?: unknown }).on === 'function';
}

function wrapQuery(channel: typeof queryChannel, original: AnyMethod): AnyMethod {
  return function query(this: unknown, sql: unknown, values: unknown, cb: unknown) {
    const self = this as Mysql2Connection;
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    if (!channel.hasSubscribers) return call.apply(this, arguments as unknown as unknown[]);
    const options = sql as { sql?: unknown; values?: unknown } | null;
    const statement = typeof sql === 'string' ? sql : options?.sql;
    if (isCommand(sql)) {
      const message = messageFor(self.config, statement, sql.values);
      const onResult = sql.onResult;
      if (!isFunction(onResult)) return traceEmitter(channel, message, () => call.call(this, sql));
      return channel.traceCallback((wrapped: Callback) => {
        sql.onResult = wrapped;
        return call.call(this, sql);
      }, 0, message, null, onResult);
    }
    const boundValues = isFunction(values) ? options?.values : (values ?? options?.values);
    const message = messageFor(self.config, statement, boundValues);
    if (isFunction(values)) return channel.traceCallback((wrapped: Callback) => call.call(this, sql, wrapped), 0, message, null, values);
    if (isFunction(cb)) return channel.traceCallback((wrapped: Callback) => call.call(this, sql, values, wrapped), 0, message, null, cb);
    return traceEmitter(channel, message, () => call.call(this, sql, values));
  };
}

function wrapHandshake(original: AnyMethod): AnyMethod {
  return function addCommand(this: unknown, command: unknown) {
    const self = this as Mysql2Connection & { once?: (event: string, listener: Callback) => unknown; removeListener?: (event: string, listener: Callback) => unknown };
    const call = original as (this: unknown, command: unknown) => unknown;
    const name = (command as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    if (!connectChannel.hasSubscribers || name !== 'ClientHandshake' || typeof self.once !== 'function') return call.call(this, command);
    const config = self.config;
    const message: SqlQueryMessage = messageFor(config, undefined, undefined);
    let added: unknown;
    void connectChannel.tracePromise(() => new Promise((resolve, reject) => {
      const onConnect = (handshake: unknown): void => {
        self.removeListener?.('error', onError);
        resolve(handshake);
      };
      const onError = (error: unknown): void => {
        self.removeListener?.('connect', onConnect);
        reject(error);
      };
      // Listening to 'error' here adds nothing the app would miss: mysql2 itself listens to the
      // handshake's errors and re-emits them; this listener is removed once connected.
      self.once!('connect', onConnect);
      self.once!('error', onError);
      added = call.call(this, command);
    }), message).catch(noop);
    return added;
  };
}

function wrapGetConnection(original: AnyMethod): AnyMethod {
  return function getConnection(this: unknown, cb: unknown) {
    const self = this as { config?: { connectionConfig?: ConnectionConfig } };
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    if (!poolConnectChannel.hasSubscribers || !isFunction(cb)) return call.apply(this, arguments as unknown as unknown[]);
    const message = messageFor(self.config?.connectionConfig, undefined, undefined);
    return poolConnectChannel.traceCallback((wrapped: Callback) => call.call(this, wrapped), 0, message, null, cb);
  };
}

/** Patches a mysql2 module (its main exports, or an ESM namespace whose default they are). */
export function patchMysql2(exports: unknown): (() => void) | null {
  const main = exports as { Connection?: unknown; Pool?: unknown; default?: { Connection?: unknown; Pool?: unknown } } | null;
  const connectionProto = prototypeOf(main?.Connection ?? main?.default?.Connection);
  if (connectionProto === null) return null;
  const poolProto = prototypeOf(main?.Pool ?? main?.default?.Pool);
  const undo: (() => void)[] = [];
  const queryOwner = ownerOf(connectionProto, 'query');
  if (queryOwner !== null) undo.push(replaceMethod(queryOwner, 'query', (original) => wrapQuery(queryChannel, original)));
  const executeOwner = ownerOf(connectionProto, 'execute');
  if (executeOwner !== null) undo.push(replaceMethod(executeOwner, 'execute', (original) => wrapQuery(executeChannel, original)));
  const addCommandOwner = ownerOf(connectionProto, 'addCommand');
  if (addCommandOwner !== null) undo.push(replaceMethod(addCommandOwner, 'addCommand', wrapHandshake));
  const getConnectionOwner = poolProto === null ? null : ownerOf(poolProto, 'getConnection');
  if (getConnectionOwner !== null) undo.push(replaceMethod(getConnectionOwner, 'getConnection', wrapGetConnection));
  return () => {
    for (const restore of undo.reverse()) restore();
  };
}

function wrapForEmitterScope(original: AnyMethod): AnyMethod {
  return function query(this: unknown) {
    const command = (original as (this: unknown, ...args: unknown[]) => unknown).apply(this, arguments as unknown as unknown[]);
    // Only emitter-style calls: a callback (the promise API's too) is already run in the caller's context.
    if (isCommand(command) && !isFunction(command.onResult)) bindEmitterScope(command);
    return command;
  };
}

/**
 * mysql2 >= 3.20 traces itself, but a command's events (row events, `.stream()`) still run in the
 * connection's context: this binds them to the caller's, and does nothing else.
 */
export function patchMysql2EmitterScope(exports: unknown): (() => void) | null {
  const main = exports as { Connection?: unknown; default?: { Connection?: unknown } } | null;
  const connectionProto = prototypeOf(main?.Connection ?? main?.default?.Connection);
  if (connectionProto === null) return null;
  const undo: (() => void)[] = [];
  for (const name of ['query', 'execute']) {
    const owner = ownerOf(connectionProto, name);
    if (owner !== null) undo.push(replaceMethod(owner, name, wrapForEmitterScope));
  }
  return () => {
    for (const restore of undo.reverse()) restore();
  };
}
