// mysql 2.x publishes nothing. This hook traces `Connection#query` (the pools', pool clusters'
// and transactions' statements all go through it), the handshake of each connection, and
// `Pool#getConnection`, on TracingChannels of ours with mysql2's payload. It adds no callback and
// no listener: mysql routes a failure to the connection's 'error' event when a sequence has
// neither, and tracing must not change where an error goes.
import { AsyncResource } from 'node:async_hooks';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HOOK_MYSQL_CONNECT, HOOK_MYSQL_POOL_CONNECT, HOOK_MYSQL_QUERY } from './channels.js';
import { isFunction, messageFor, prototypeOf, traceEmitter } from './sql-tracing.js';
import type { AnyMethod, Callback, ConnectionConfig } from './sql-tracing.js';
import { replaceMethod } from './wrap.js';

export const queryChannel = diagnosticsChannel.tracingChannel(HOOK_MYSQL_QUERY);
export const connectChannel = diagnosticsChannel.tracingChannel(HOOK_MYSQL_CONNECT);
export const poolConnectChannel = diagnosticsChannel.tracingChannel(HOOK_MYSQL_POOL_CONNECT);

interface Query {
  sql?: unknown;
  values?: unknown;
  _callback?: Callback;
}
type CreateQuery = (sql: unknown, values: unknown, cb: unknown) => Query;

function wrapQuery(createQuery: CreateQuery, original: AnyMethod): AnyMethod {
  return function query(this: unknown, sql: unknown, values: unknown, cb: unknown) {
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    if (!queryChannel.hasSubscribers) return call.apply(this, arguments as unknown as unknown[]);
    // The Query mysql would make (it returns a Query given one): its statement before formatting.
    const sequence = createQuery(sql, values, cb);
    const message = messageFor((this as { config?: ConnectionConfig }).config, sequence.sql, sequence.values);
    const callback = sequence._callback;
    if (!isFunction(callback)) return traceEmitter(queryChannel, message, () => call.call(this, sequence));
    return queryChannel.traceCallback((wrapped: Callback) => {
      sequence._callback = wrapped;
      return call.call(this, sequence);
    }, 0, message, null, callback);
  };
}

function wrapHandshake(original: AnyMethod): AnyMethod {
  return function handshake(this: unknown, options: unknown, callback: unknown) {
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    if (!connectChannel.hasSubscribers) return call.apply(this, arguments as unknown as unknown[]);
    const config = (this as { _config?: ConnectionConfig })._config;
    const args = [...(arguments as unknown as unknown[])];
    // `connect(cb)`'s callback, in the caller's context like every other callback
    for (let i = 0; i < args.length; i++) if (isFunction(args[i])) args[i] = AsyncResource.bind(args[i] as Callback);
    return traceEmitter(connectChannel, messageFor(config, undefined, undefined), () => call.apply(this, args));
  };
}

function wrapGetConnection(original: AnyMethod): AnyMethod {
  return function getConnection(this: unknown, cb: unknown) {
    const call = original as (this: unknown, ...args: unknown[]) => unknown;
    if (!poolConnectChannel.hasSubscribers || !isFunction(cb)) return call.apply(this, arguments as unknown as unknown[]);
    const config = (this as { config?: { connectionConfig?: ConnectionConfig } }).config?.connectionConfig;
    return poolConnectChannel.traceCallback((wrapped: Callback) => call.call(this, wrapped), 0, messageFor(config, undefined, undefined), null, cb);
  };
}

/** Patches the copy of mysql in `basedir` (its Connection, Protocol and Pool classes). */
export function patchMysql(basedir: string): (() => void) | null {
  const load = createRequire(path.join(basedir, 'index.js'));
  const Connection = load('./lib/Connection.js') as { createQuery?: unknown };
  const connectionProto = prototypeOf(Connection) as { query?: AnyMethod } | null;
  const protocolProto = prototypeOf(load('./lib/protocol/Protocol.js')) as { handshake?: AnyMethod } | null;
  const poolProto = prototypeOf(load('./lib/Pool.js')) as { getConnection?: AnyMethod } | null;
  if (connectionProto === null || !isFunction(Connection.createQuery)) return null;
  const createQuery = Connection.createQuery as CreateQuery;
  const undo = [replaceMethod(connectionProto, 'query', (original) => wrapQuery(createQuery, original))];
  if (protocolProto !== null) undo.push(replaceMethod(protocolProto, 'handshake', wrapHandshake));
  if (poolProto !== null) undo.push(replaceMethod(poolProto, 'getConnection', wrapGetConnection));
  return () => {
    for (const restore of undo.reverse()) restore();
  };
}
