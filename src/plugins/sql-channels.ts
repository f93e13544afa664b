// Spans from TracingChannels carrying mysql2's payload (`query`, `values`, `database`,
// `serverAddress`, `serverPort`, `user`): mysql2 >= 3.20 publishes them itself, our hooks publish
// the same for older mysql2 and for mysql 2.x. A statement's span starts on `start`, in the
// caller's context, and ends when the library reports the outcome: `asyncStart` (before the
// callback runs), or `error` + `end` for a call that threw. The callback itself, and a pool's
// queued `getConnection` callback, run in the caller's context: `asyncStart` is bound to the span
// that was active at `start` (the library would run them in its socket's context).
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { finishDatabaseSpan, rowCountOf, startDatabaseSpan } from '../semantics/database-span.js';
import { sanitizeSql, sanitizeSqlErrorMessage, sqlVerb } from '../semantics/sql-sanitizer.js';
import { spanStore } from '../tracer/active-context.js';
import type { Span } from '../tracer/span.js';
import type { Tracer } from '../tracer/tracer.js';
import type { IntegrationContext } from './integration.js';
import type { IntegrationParts, IntegrationTools, TracingChannelSubscription } from './lifecycle.js';

const SPAN = Symbol('opentracing-async-instrumentation.sqlSpan');
const PARENT = Symbol('opentracing-async-instrumentation.sqlParent');

interface SqlMessage {
  query?: unknown;
  values?: unknown;
  database?: unknown;
  serverAddress?: unknown;
  serverPort?: unknown;
  user?: unknown;
  error?: unknown;
  result?: unknown;
  [SPAN]?: Span | undefined;
  [PARENT]?: Span | null;
}

/** The TracingChannels one library publishes on. */
export interface SqlChannelNames {
  readonly statements: readonly string[];
  readonly connect: readonly string[];
  readonly poolConnect: readonly string[];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function startSpan(tracer: Tracer, component: string, message: SqlMessage, parent: Span | null, statement: string | undefined, recordValues: boolean): Span {
  const address = text(message.serverAddress);
  const socketPath = address !== undefined && address.startsWith('/') ? address : undefined;
  const span = startDatabaseSpan(tracer, {
    operation: statement === undefined ? 'connect' : sqlVerb(statement),
    component,
    dbType: 'sql',
    database: text(message.database),
    user: text(message.user),
    statement,
    hostname: socketPath === undefined ? address : undefined,
    port: typeof message.serverPort === 'number' ? message.serverPort : undefined,
  }, { sanitize: sanitizeSql, parent });
  if (span.isRecording) {
    if (socketPath !== undefined) span.setTag('peer.address', socketPath);
    if (recordValues && message.values !== undefined && message.values !== null) span.setTag('db.values', message.values);
  }
  return span;
}

function finish(message: SqlMessage): void {
  const span = message[SPAN];
  if (span === undefined) return;
  message[SPAN] = undefined;
  const failed = message.error !== undefined && message.error !== null;
  finishDatabaseSpan(span, failed ? { error: message.error, sanitizeMessage: sanitizeSqlErrorMessage } : { rowCount: rowCountOf(message.result) });
}

/** The subscriptions and store bindings for `component`'s channels `names`. */
export function sqlChannelParts(context: IntegrationContext, tools: IntegrationTools, component: string, names: SqlChannelNames): IntegrationParts {
  const onStart = (statement: boolean) => (message: SqlMessage): void => {
    const parent = spanStore.getStore() ?? null;
    message[PARENT] = parent;
    const tracer = context.tracer();
    if (tracer === null) return;
    const sql = statement ? (typeof message.query === 'string' ? message.query : '') : undefined;
    message[SPAN] = startSpan(tracer, component, message, parent, sql, context.options.recordSqlValues);
  };
  const onEnd = (message: SqlMessage): void => {
    // a synchronous throw: `error` then `end`, and no asyncStart
    if (message.error !== undefined) finish(message);
  };
  const traced = (channel: string, statement: boolean): TracingChannelSubscription => ({
    channel, start: onStart(statement), asyncStart: finish, end: onEnd,
  });
  // The caller's span, for the callback: what was active at `start`. A store transform runs
  // inside the library's call: guarded, and the current span when it has nothing to say.
  const callerSpan = tools.guard((message: SqlMessage): Span | null => {
    const parent = message[PARENT];
    return parent === undefined ? spanStore.getStore() ?? null : parent;
  });
  const bindCallbackContext = (channel: string) => (): (() => void) => {
    const asyncStart = diagnosticsChannel.tracingChannel(channel).asyncStart;
    asyncStart.bindStore(spanStore, (message: unknown) => callerSpan(message as SqlMessage) ?? spanStore.getStore() ?? null);
    return () => asyncStart.unbindStore(spanStore);
  };
  const all = [...names.statements, ...names.connect, ...names.poolConnect];
  return {
    tracingChannels: [
      ...names.statements.map((channel) => traced(channel, true)),
      ...names.connect.map((channel) => traced(channel, false)),
      // Waiting for a pooled connection is part of the statement: no span, the caller's context only.
      ...names.poolConnect.map((channel) => ({
        channel,
        start: (message: SqlMessage) => {
          message[PARENT] = spanStore.getStore() ?? null;
        },
      })),
    ],
    patches: all.map(bindCallbackContext),
  };
}
