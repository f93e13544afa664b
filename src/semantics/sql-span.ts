// What a span of a MySQL-family client call looks like (mysql2, mysql, mariadb): named for the
// SQL verb, `span.kind=client`, `component`, `db.type=sql`, `db.instance`, `db.user`, a sanitised
// `db.statement`, the peer, the row count, and on failure `error=true` with an `error` log that
// carries the driver's code, number and message. Never the error object itself: mysql2 and mysql
// errors carry the statement with its values inlined (`error.sql`).
import { isIP } from 'node:net';
import type { Span } from '../tracer/span.js';
import type { Tracer } from '../tracer/tracer.js';
import { sanitizeSql, sqlVerb } from './sql-sanitizer.js';

/** The server and account a call goes to; never a password. */
export interface SqlTarget {
  readonly database?: string | undefined;
  readonly user?: string | undefined;
  /** A host name or IP address, or a Unix socket path. */
  readonly serverAddress?: string | undefined;
  readonly serverPort?: number | undefined;
}

/** Reads no more than this of a raw statement: sanitising is linear, and the tag is bounded anyway. */
const MAX_STATEMENT_SCAN = 64 * 1024;

function tagTarget(span: Span, component: string, target: SqlTarget): void {
  span._appendTag('span.kind', 'client');
  span._appendTag('component', component);
  span._appendTag('db.type', 'sql');
  if (typeof target.database === 'string' && target.database !== '') span._appendTag('db.instance', target.database);
  if (typeof target.user === 'string' && target.user !== '') span._appendTag('db.user', target.user);
  const address = target.serverAddress;
  if (typeof address === 'string' && address !== '') {
    if (address.startsWith('/')) {
      span._appendTag('peer.address', address);
    } else {
      span._appendTag('peer.hostname', address);
      const version = isIP(address);
      if (version === 4) span._appendTag('peer.ipv4', address);
      else if (version === 6) span._appendTag('peer.ipv6', address);
    }
  }
  if (typeof target.serverPort === 'number') span._appendTag('peer.port', target.serverPort);
}

/**
 * The span of one statement, a child of `parent` (the caller's active span). `values` are tagged
 * (`db.values`) only when `recordValues` is on.
 */
export function startStatementSpan(
  tracer: Tracer, parent: Span | null, component: string, target: SqlTarget, statement: unknown, values: unknown, recordValues: boolean,
): Span {
  const sql = typeof statement === 'string' ? statement : '';
  const span = tracer.startSpan(sqlVerb(sql), { childOf: parent ?? undefined, ignoreActiveSpan: true });
  if (!span.isRecording) return span;
  tagTarget(span, component, target);
  if (sql !== '') {
    span._appendTag('db.statement', sanitizeSql(sql.length > MAX_STATEMENT_SCAN ? sql.slice(0, MAX_STATEMENT_SCAN) : sql));
  }
  if (recordValues && values !== undefined && values !== null) span.setTag('db.values', values);
  return span;
}

/** The span of opening a connection (handshake and authentication), named `connect`. */
export function startConnectSpan(tracer: Tracer, parent: Span | null, component: string, target: SqlTarget): Span {
  const span = tracer.startSpan('connect', { childOf: parent ?? undefined, ignoreActiveSpan: true });
  if (span.isRecording) tagTarget(span, component, target);
  return span;
}

/**
 * The rows a result stands for: a row array's length (mysql2's promise `[rows, fields]` pair
 * too), or a write's `affectedRows`; undefined when the result says nothing.
 */
export function rowCountOf(result: unknown): number | undefined {
  if (Array.isArray(result)) return result.length;
  if (result !== null && typeof result === 'object') {
    const affected = (result as { affectedRows?: unknown }).affectedRows;
    if (typeof affected === 'number') return affected;
  }
  return undefined;
}

/** `error=true`, the driver's code and number as tags, and an `error` log with the message. */
export function recordSqlError(span: Span, error: unknown): void {
  if (!span.isRecording) return;
  span.setTag('error', true);
  const fields: Record<string, unknown> = { event: 'error' };
  if (error !== null && typeof error === 'object') {
    const { code, errno, sqlState, name, message } = error as { code?: unknown; errno?: unknown; sqlState?: unknown; name?: unknown; message?: unknown };
    if (typeof name === 'string') fields['error.kind'] = name;
    if (typeof code === 'string' || typeof code === 'number') {
      span.setTag('db.error.code', code);
      fields['db.error.code'] = code;
    }
    if (typeof errno === 'number') {
      span.setTag('db.error.number', errno);
      fields['db.error.number'] = errno;
    }
    if (typeof sqlState === 'string') fields['db.sql_state'] = sqlState;
    fields.message = typeof message === 'string' ? message : String(error);
  } else {
    fields.message = String(error);
  }
  span.log(fields);
}

/** Finishes a statement or connect span with its outcome. */
export function finishSqlSpan(span: Span, result: unknown, error: unknown): void {
  if (span.isRecording) {
    if (error !== undefined && error !== null) recordSqlError(span, error);
    else {
      const rows = rowCountOf(result);
      if (rows !== undefined) span.setTag('db.row_count', rows);
    }
  }
  span.finish();
}
