// SQL as a span may record it: every literal value replaced by `?`, in one pass over the text
// (it runs once per query). MySQL's lexical rules: '...' and "..." strings (doubled quotes and
// backslash escapes inside), numbers (with sign, fraction, exponent), hex (x'..', 0x..), bit (b'..',
// 0b..), introducers (_utf8mb4'..', N'..'), TRUE/FALSE/NULL where they are values, `IN (…)` lists
// folded to `IN (?)`. Backticked identifiers and `?` placeholders are kept as they are; comments
// only when they hold no digit or quote. A statement with nothing to replace is returned as is.

/** The default bound: the tracer's default tag value limit. */
export const MAX_SANITIZED_SQL_LENGTH = 4096;

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const QUOTE = 39; // '
const DOUBLE_QUOTE = 34; // "
const BACKTICK = 96;
const BACKSLASH = 92;
const HASH = 35;
const DASH = 45;
const PLUS = 43;
const SLASH = 47;
const STAR = 42;
const DOT = 46;
const OPEN = 40;
const CLOSE = 41;
const COMMA = 44;
const QUESTION = 63;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isSpace(code: number): boolean {
  return code === SPACE || code === LF || code === CR || code === TAB || code === 11 || code === 12;
}

/** A character of an unquoted identifier or keyword (digits included; non-ASCII allowed). */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || isDigit(code) || code === 95 || code === 36 || code > 127;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** Whether `sql[start, end)` is `upper` in any case (`upper` in capitals, ASCII). */
function wordIs(sql: string, start: number, end: number, upper: string): boolean {
  if (end - start !== upper.length) return false;
  for (let i = 0; i < upper.length; i++) {
    if ((sql.charCodeAt(start + i) & ~32) !== upper.charCodeAt(i)) return false;
  }
  return true;
}

/** After these words a sign starts a number (`LIMIT -1` is rare, `SELECT -5` is not). */
const BEFORE_VALUE = ['SELECT', 'WHERE', 'AND', 'OR', 'NOT', 'XOR', 'VALUES', 'VALUE', 'SET', 'THEN', 'ELSE', 'WHEN', 'RETURN',
  'BETWEEN', 'IN', 'LIKE', 'IS', 'ON', 'HAVING', 'CASE', 'INTERVAL', 'DEFAULT', 'DIV', 'MOD', 'LIMIT', 'OFFSET', 'BY'];

function isValueKeyword(sql: string, start: number, end: number): boolean {
  if (end - start > 8) return false;
  for (const word of BEFORE_VALUE) if (wordIs(sql, start, end, word)) return true;
  return false;
}

/** Whether the next token is an operand: at the start, after an operator, or after a keyword. */
function expectsOperand(sql: string, afterOperand: boolean, wordStart: number, wordEnd: number): boolean {
  return !afterOperand || (wordStart !== -1 && isValueKeyword(sql, wordStart, wordEnd));
}

/** End of the quoted text opened at `start` (just after its closing quote, or the end of `sql`). */
function endOfQuoted(sql: string, start: number, quote: number): number {
  const length = sql.length;
  let i = start + 1;
  while (i < length) {
    const code = sql.charCodeAt(i);
    if (code === BACKSLASH && quote !== BACKTICK) i += 2;
    else if (code === quote) {
      if (sql.charCodeAt(i + 1) === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return length;
}

/** Whether a number starts at `i`: a digit, or a dot and a digit (`.5`). */
function startsNumber(sql: string, i: number): boolean {
  const code = sql.charCodeAt(i);
  return isDigit(code) || (code === DOT && isDigit(sql.charCodeAt(i + 1)));
}

/** End of the number starting at `start` (digits, fraction, exponent), or -1 if it runs into a word. */
function endOfNumber(sql: string, start: number): number {
  const length = sql.length;
  let i = start;
  const first = sql.charCodeAt(i);
  const second = sql.charCodeAt(i + 1);
  if (first === 48 && (second === 120 || second === 98)) {
    // 0x1F, 0b101 (`0xZ` or `0b2` would be identifiers)
    let j = i + 2;
    const hex = second === 120;
    while (j < length && (hex ? isHexDigit(sql.charCodeAt(j)) : sql.charCodeAt(j) === 48 || sql.charCodeAt(j) === 49)) j++;
    if (j > i + 2 && !isWordChar(sql.charCodeAt(j))) return j;
  }
  while (i < length && isDigit(sql.charCodeAt(i))) i++;
  if (sql.charCodeAt(i) === DOT) {
    i++;
    while (i < length && isDigit(sql.charCodeAt(i))) i++;
  }
  const e = sql.charCodeAt(i) | 32;
  if (e === 101 && i > start) {
    let j = i + 1;
    const sign = sql.charCodeAt(j);
    if (sign === PLUS || sign === DASH) j++;
    if (isDigit(sql.charCodeAt(j))) {
      while (j < length && isDigit(sql.charCodeAt(j))) j++;
      i = j;
    }
  }
  // `123abc` and `1e5x` are identifiers in MySQL
  return isWordChar(sql.charCodeAt(i)) ? -1 : i;
}

/** Whether a comment holds something that may be a value (a digit or a quote). */
function mayHoldLiteral(sql: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = sql.charCodeAt(i);
    if (isDigit(code) || code === QUOTE || code === DOUBLE_QUOTE) return true;
  }
  return false;
}

/** Whether the list text is only placeholders and commas: `?`, `?, ?`, ` ? ,? `. */
function isPlaceholderList(text: string, start: number): boolean {
  let expectValue = true;
  let seen = false;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) continue;
    if (code === QUESTION && expectValue) {
      expectValue = false;
      seen = true;
    } else if (code === COMMA && !expectValue) expectValue = true;
    else return false;
  }
  return seen && !expectValue;
}

/**
 * `sql` with literal values replaced by `?`, cut at `maxLength` characters. Never throws for any
 * string; the same string comes back (no copy) when it holds no literal.
 */
export function sanitizeSql(sql: string, maxLength: number = MAX_SANITIZED_SQL_LENGTH): string {
  const length = sql.length;
  let out = '';
  let copied = 0; // sql[copied, i) is still to be appended to out
  // The word just before the current token (for IN, IS/NOT NULL, value keywords), or -1.
  let wordStart = -1;
  let wordEnd = -1;
  // Whether the previous token ends an operand (identifier, value, `)`): a sign after it is binary.
  let afterOperand = false;
  // Where in `out` the open `IN (` lists start (just after their parenthesis); their depth.
  let inLists: number[] | null = null;
  let depth = 0;
  let inDepths: number[] | null = null;
  let i = 0;
  while (i < length) {
    // Enough for the bound: the rest is never read (a 10 MB INSERT costs what 4 KB does).
    if (out.length + (i - copied) > maxLength) break;
    const code = sql.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    let replaceEnd = -1; // a literal at [i, replaceEnd) becomes `?`
    let literalStart = i;
    if (code === QUOTE || code === DOUBLE_QUOTE) {
      replaceEnd = endOfQuoted(sql, i, code);
    } else if (code === BACKTICK) {
      i = endOfQuoted(sql, i, code);
      afterOperand = true;
      wordStart = -1;
      continue;
    } else if (isDigit(code) || (code === DOT && startsNumber(sql, i) && expectsOperand(sql, afterOperand, wordStart, wordEnd))) {
      replaceEnd = endOfNumber(sql, i);
      if (replaceEnd === -1) {
        // an identifier starting with digits
        const start = i;
        while (i < length && isWordChar(sql.charCodeAt(i))) i++;
        wordStart = start;
        wordEnd = i;
        afterOperand = true;
        continue;
      }
    } else if ((code === DASH || code === PLUS) && startsNumber(sql, i + 1) && expectsOperand(sql, afterOperand, wordStart, wordEnd)
      && endOfNumber(sql, i + 1) !== -1) {
      // a sign where an operand is expected: part of the number (`= -5`, `SELECT -1e3`)
      replaceEnd = endOfNumber(sql, i + 1);
    } else if (isWordChar(code)) {
      const start = i;
      while (i < length && isWordChar(sql.charCodeAt(i))) i++;
      const next = sql.charCodeAt(i);
      if (next === QUOTE && (i - start === 1 ? 'xXbBnN'.includes(sql[start]!) : sql.charCodeAt(start) === 95 /* _charset */)) {
        literalStart = start;
        replaceEnd = endOfQuoted(sql, i, QUOTE);
      } else if ((i - start === 4 || i - start === 5) && (wordIs(sql, start, i, 'NULL') || wordIs(sql, start, i, 'TRUE') || wordIs(sql, start, i, 'FALSE'))
        && !(wordStart !== -1 && (wordIs(sql, wordStart, wordEnd, 'IS') || wordIs(sql, wordStart, wordEnd, 'NOT') || wordIs(sql, wordStart, wordEnd, 'DEFAULT')))) {
        literalStart = start;
        replaceEnd = i;
      } else {
        // an operand unless a keyword such as SELECT or AND: decided only when a sign follows
        wordStart = start;
        wordEnd = i;
        afterOperand = true;
        continue;
      }
    } else if ((code === DASH && sql.charCodeAt(i + 1) === DASH && (i + 2 >= length || isSpace(sql.charCodeAt(i + 2)))) || code === HASH) {
      let end = sql.indexOf('\n', i);
      if (end === -1) end = length;
      if (mayHoldLiteral(sql, i, end)) {
        out += sql.slice(copied, i);
        copied = end;
      }
      i = end;
      continue;
    } else if (code === SLASH && sql.charCodeAt(i + 1) === STAR) {
      const close = sql.indexOf('*/', i + 2);
      const end = close === -1 ? length : close + 2;
      if (mayHoldLiteral(sql, i, end)) {
        out += sql.slice(copied, i);
        // keep the tokens around apart: `a/*1*/b` must not become `ab`
        if (i > 0 && end < length && !isSpace(sql.charCodeAt(i - 1)) && !isSpace(sql.charCodeAt(end))) out += ' ';
        copied = end;
      }
      i = end;
      continue;
    } else if (code === OPEN) {
      depth++;
      if (wordStart !== -1 && wordIs(sql, wordStart, wordEnd, 'IN')) {
        out += sql.slice(copied, i + 1);
        copied = i + 1;
        (inLists ??= []).push(out.length);
        (inDepths ??= []).push(depth);
      }
      i++;
      wordStart = -1;
      afterOperand = false;
      continue;
    } else if (code === CLOSE) {
      if (inDepths !== null && inDepths.length > 0 && inDepths[inDepths.length - 1] === depth) {
        inDepths.pop();
        const listStart = inLists!.pop()!;
        out += sql.slice(copied, i);
        copied = i;
        if (isPlaceholderList(out, listStart)) out = `${out.slice(0, listStart)}?`;
      }
      depth--;
      i++;
      wordStart = -1;
      afterOperand = true;
      continue;
    } else {
      // operators, commas, `?`, `;` (a new statement starts: nothing carries over)
      i++;
      wordStart = -1;
      afterOperand = code === QUESTION;
      continue;
    }
    out += sql.slice(copied, literalStart);
    out += '?';
    copied = replaceEnd;
    i = replaceEnd;
    wordStart = -1;
    afterOperand = true;
  }
  if (copied === 0 && i >= length) return length > maxLength ? sql.slice(0, maxLength) : sql;
  if (copied < i) out += sql.slice(copied, i);
  return out.length > maxLength ? out.slice(0, maxLength) : out;
}

/**
 * The statement's verb in capitals (`SELECT`, `INSERT`, `CALL`, ...): its first word after
 * comments and opening parentheses; `fallback` when there is none (or it is unreasonably long).
 */
export function sqlVerb(sql: string, fallback = 'query'): string {
  const length = sql.length;
  let i = 0;
  while (i < length) {
    const code = sql.charCodeAt(i);
    if (isSpace(code) || code === OPEN) i++;
    else if (code === SLASH && sql.charCodeAt(i + 1) === STAR) {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) return fallback;
      i = close + 2;
    } else if ((code === DASH && sql.charCodeAt(i + 1) === DASH) || code === HASH) {
      const end = sql.indexOf('\n', i);
      if (end === -1) return fallback;
      i = end + 1;
    } else break;
  }
  const start = i;
  while (i < length && i - start <= 16) {
    const code = sql.charCodeAt(i) | 32;
    if (code < 97 || code > 122) break;
    i++;
  }
  if (i === start || i - start > 16 || isWordChar(sql.charCodeAt(i))) return fallback;
  return knownVerb(sql, start, i) ?? sql.slice(start, i).toUpperCase();
}

// The usual verbs as constant strings: no allocation per query.
const VERBS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'CALL', 'WITH', 'SET', 'SHOW', 'BEGIN', 'COMMIT', 'ROLLBACK',
  'START', 'CREATE', 'DROP', 'ALTER', 'TRUNCATE', 'DO', 'USE', 'EXPLAIN', 'LOCK', 'UNLOCK', 'SAVEPOINT', 'RELEASE', 'KILL'];

function knownVerb(sql: string, start: number, end: number): string | undefined {
  for (const verb of VERBS) if (wordIs(sql, start, end, verb)) return verb;
  return undefined;
}

// MySQL/MariaDB messages that quote a value: a duplicate key (1062), a value that did not convert
// (1292, 1366, 1265: `value: '…'`), the statement text near a syntax error (1064).
const QUOTED = String.raw`'(?:[^'\\]|\\.|'')*'`;
const DUPLICATE_ENTRY = new RegExp(String.raw`(Duplicate entry )${QUOTED}`, 'g');
const VALUE = new RegExp(String.raw`(value: )${QUOTED}`, 'g');
const NEAR = /(near ')([\s\S]*)(' at line \d+)$/;

/**
 * A server error message with the values it quotes replaced by `?` (the SQL it quotes near a
 * syntax error sanitised like a statement), so recording the error records no literal.
 */
export function sanitizeSqlErrorMessage(message: string): string {
  if (message.indexOf("'") === -1) return message;
  return message
    .replace(DUPLICATE_ENTRY, "$1'?'")
    .replace(VALUE, "$1'?'")
    .replace(NEAR, (_all, before: string, sql: string, after: string) => before + sanitizeSql(sql) + after);
}
