// What a database client span looks like, for every database plugin (MySQL, PostgreSQL, Redis):
// `span.kind=client`, `component`, `db.type`, `db.instance`, `db.user`, a sanitised `db.statement`
// (never a literal value, cut to the span's tag limit), the peer, the row count, and on failure
// `error=true` with the error's code, number and message.
import type { Span } from '../tracer/span.js';
import type { Tracer } from '../tracer/tracer.js';
import { startClientSpanNamed } from './client-span.js';
import { tagPeerHost } from './peer.js';

/**
 * The most of a raw statement handed to a sanitiser: sanitising is linear, and the tag keeps at
 * most the span's tag limit (4 KB by default) anyway, so a 50 MB bulk insert costs no more than
 * this. A sanitiser must therefore treat a literal left open at the end as a literal.
 */
export const MAX_STATEMENT_SCAN = 64 * 1024;

/** One call to a database, as its plugin read it from the library's event. */
export interface DatabaseCall {
  /** The span's operation name, e.g. `SELECT` or `mysql2.query` (the plugin decides). */
  readonly operation: string;
  /** `component`: the library, e.g. `mysql2`. */
  readonly component: string;
  /** `db.type`: `sql`, `redis`, ... */
  readonly dbType: string;
  /** `db.instance`: the database (schema, Redis db index) the call runs in. */
  readonly database?: string | number | undefined;
  /** `db.user`. Never a password. */
  readonly user?: string | undefined;
  /**
   * `db.statement`: with `sanitize`, the raw statement (values may be inlined: it is sanitised
   * first); without, a statement that holds no literal values already (placeholders only, or a
   * library-sanitised command).
   */
  readonly statement?: string | undefined;
  /** The server as the app named it (host name or IP literal) and its port. */
  readonly hostname?: string | undefined;
  readonly port?: number | undefined;
}

export interface DatabaseSpanOptions {
  /** Turns a raw statement into one without literal values (e.g. `sanitizeSql`). */
  readonly sanitize?: (statement: string) => string;
  /** The parent span: null for a root span; default the active span. */
  readonly parent?: Span | null;
}

/** The statement as tagged: sanitised if asked, never more than `MAX_STATEMENT_SCAN` read. */
export function statementTag(statement: string, sanitize?: (statement: string) => string): string {
  if (sanitize === undefined) return statement;
  return sanitize(statement.length > MAX_STATEMENT_SCAN ? statement.slice(0, MAX_STATEMENT_SCAN) : statement);
}

/** Tags a span that records with the database call's tags (`db.*` and the peer). */
export function tagDatabaseSpan(span: Span, call: DatabaseCall, sanitize?: (statement: string) => string): void {
  span._appendTag('db.type', call.dbType);
  if (call.database !== undefined && call.database !== '') span._appendTag('db.instance', call.database);
  if (call.user !== undefined && call.user !== '') span._appendTag('db.user', call.user);
  if (call.statement !== undefined && call.statement !== '') span._appendTag('db.statement', statementTag(call.statement, sanitize));
  tagPeerHost(span, call.hostname, call.port);
}

/**
 * Starts the client span of a database call, a child of the active span (or `options.parent`).
 * Nothing is read or sanitised for a span that does not record.
 */
export function startDatabaseSpan(tracer: Tracer, call: DatabaseCall, options: DatabaseSpanOptions = {}): Span {
  const span = startClientSpanNamed(tracer, call.operation, call.component, options.parent);
  if (span.isRecording) tagDatabaseSpan(span, call, options.sanitize);
  return span;
}

/**
 * The rows a result stands for: the length of a row array (mysql's `[rows, fields]` pairs too), or
 * `affectedRows` / `rowCount` of a write; undefined when the result says nothing.
 */
export function rowCountOf(result: unknown): number | undefined {
  if (Array.isArray(result)) {
    const first: unknown = result[0];
    // mysql2's promise API resolves to [rows, fields]: the rows are the first element.
    if (result.length === 2 && (Array.isArray(first) || isHeader(first)) && (Array.isArray(result[1]) || result[1] === undefined)) {
      return rowCountOf(first);
    }
    return result.length;
  }
  if (isHeader(result)) {
    const { affectedRows, rowCount } = result as { affectedRows?: unknown; rowCount?: unknown };
    if (typeof affectedRows === 'number') return affectedRows;
    if (typeof rowCount === 'number') return rowCount;
  }
  return undefined;
}

function isHeader(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) &&
    (typeof (value as { affectedRows?: unknown }).affectedRows === 'number' || typeof (value as { rowCount?: unknown }).rowCount === 'number');
}

/**
 * Marks a database span failed: `error=true`, an `error` log with the message, and the driver's
 * `db.error.code` (e.g. `ER_NO_SUCH_TABLE`, `42P01`) and `db.error.number` (e.g. 1146) when it has them.
 */
export function recordDatabaseError(span: Span, error: unknown): void {
  if (!span.isRecording) return;
  if (error !== null && typeof error === 'object') {
    const { code, errno } = error as { code?: unknown; errno?: unknown };
    if (typeof code === 'string' || typeof code === 'number') span.setTag('db.error.code', code);
    if (typeof errno === 'number') span.setTag('db.error.number', errno);
  }
  span.recordError(error);
}

/** Finishes a database span: `db.row_count` when known, the error when the call failed. Idempotent. */
export function finishDatabaseSpan(span: Span, outcome: { readonly rowCount?: number | undefined; readonly error?: unknown } = {}): void {
  if (span.isRecording) {
    if (outcome.rowCount !== undefined) span.setTag('db.row_count', outcome.rowCount);
    if (outcome.error !== undefined) recordDatabaseError(span, outcome.error);
  }
  span.finish();
}
