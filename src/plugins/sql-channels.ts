// Spans from TracingChannels carrying mysql2's payload (`query`, `values`, `database`,
// `serverAddress`, `serverPort`, `user` on connect): mysql2 >= 3.20 publishes them itself, our
// hooks publish the same for older mysql2 and for mysql 2.x. A statement's span starts on `start`,
// in the caller's context, and ends on `asyncStart` (before the callback runs) or, for a call
// that threw, on `end`. The callback itself, and a pool's queued `getConnection` callback, run in
// the caller's context: `asyncStart` is bound to the span that was active at `start`.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { spanStore } from '../tracer/active-context.js';
import type { Span } from '../tracer/span.js';
import { finishSqlSpan, startConnectSpan, startStatementSpan } from '../semantics/sql-span.js';
import type { IntegrationContext } from './integration.js';
import { Subscriptions } from './subscriptions.js';

interface SqlMessage {
  query?: unknown;
  values?: unknown;
  database?: string;
  serverAddress?: string;
  serverPort?: number;
  user?: string;
  error?: unknown;
  result?: unknown;
  [SPAN]?: Span | undefined;
  [PARENT]?: Span | null;
}

const SPAN = Symbol('opentracing-async-instrumentation.sqlSpan');
const PARENT = Symbol('opentracing-async-instrumentation.sqlParent');

/** The TracingChannels one library publishes on (its own and/or our hook's). */
export interface SqlChannelNames {
  readonly query: readonly string[];
  readonly connect: readonly string[];
  readonly poolConnect: readonly string[];
}

function finish(message: SqlMessage): void {
  const span = message[SPAN];
  if (span === undefined) return;
  message[SPAN] = undefined;
  finishSqlSpan(span, message.result, message.error);
}

/** The caller's span, for the callback: what was active at `start`. */
function callerSpan(message: unknown): Span | null {
  const parent = (message as SqlMessage)[PARENT];
  return parent === undefined ? spanStore.getStore() ?? null : parent;
}

/** Subscribes the span handlers for `component` to `names`; returns the undo. */
export function subscribeSqlChannels(context: IntegrationContext, integration: string, component: string, names: SqlChannelNames): () => void {
  const subscriptions = new Subscriptions(integration);
  const bound: diagnosticsChannel.Channel[] = [];
  const bindCallbackContext = (name: string): void => {
    const asyncStart = diagnosticsChannel.channel(`tracing:${name}:asyncStart`);
    // A store transform runs inside the library's call: it must never throw.
    asyncStart.bindStore(spanStore, (message: unknown) => {
      try {
        return callerSpan(message);
      } catch (error) {
        context.fault(integration, error);
        return spanStore.getStore() ?? null;
      }
    });
    bound.push(asyncStart);
  };
  const onStatement = (message: SqlMessage): void => {
    const parent = spanStore.getStore() ?? null;
    message[PARENT] = parent;
    const tracer = context.tracer();
    if (tracer === null) return;
    message[SPAN] = startStatementSpan(tracer, parent, component, message, message.query, message.values, context.options.recordSqlValues);
  };
  const onConnect = (message: SqlMessage): void => {
    const parent = spanStore.getStore() ?? null;
    message[PARENT] = parent;
    const tracer = context.tracer();
    if (tracer === null) return;
    message[SPAN] = startConnectSpan(tracer, parent, component, message);
  };
  const onEnd = (message: SqlMessage): void => {
    // a synchronous throw: no asyncStart follows
    if (message.error !== undefined) finish(message);
  };
  for (const name of [...names.query, ...names.connect]) {
    subscriptions.add(context, `tracing:${name}:start`, names.query.includes(name) ? onStatement : onConnect);
    subscriptions.add(context, `tracing:${name}:asyncStart`, finish);
    subscriptions.add(context, `tracing:${name}:end`, onEnd);
    bindCallbackContext(name);
  }
  for (const name of names.poolConnect) {
    // no span (waiting for a pooled connection is part of the statement); the caller's context only
    subscriptions.add(context, `tracing:${name}:start`, (message: SqlMessage) => {
      message[PARENT] = spanStore.getStore() ?? null;
    });
    bindCallbackContext(name);
  }
  return () => {
    subscriptions.removeAll();
    for (const channel of bound) channel.unbindStore(spanStore);
  };
}
