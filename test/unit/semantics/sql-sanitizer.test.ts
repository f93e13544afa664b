import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { MAX_SANITIZED_SQL_LENGTH, sanitizeSql, sanitizeSqlErrorMessage, sqlVerb } from '../../../src/semantics/sql-sanitizer.js';

// [input, sanitised]
const TABLE: [string, string][] = [
  // nothing to replace: the same text back
  ['SELECT 1 + ?', 'SELECT ? + ?'],
  ['SELECT ?', 'SELECT ?'],
  ['SELECT * FROM users WHERE id = ?', 'SELECT * FROM users WHERE id = ?'],
  ['SELECT a, b FROM t1 JOIN t2 ON t1.id = t2.t1_id', 'SELECT a, b FROM t1 JOIN t2 ON t1.id = t2.t1_id'],
  ['CALL refresh_totals()', 'CALL refresh_totals()'],
  // quoted strings
  ["SELECT * FROM users WHERE name = 'alice'", 'SELECT * FROM users WHERE name = ?'],
  ['SELECT * FROM users WHERE name = "alice"', 'SELECT * FROM users WHERE name = ?'],
  ["SELECT 'it''s'", 'SELECT ?'],
  ["SELECT 'it\\'s'", 'SELECT ?'],
  ["SELECT 'back\\\\slash', 'x'", 'SELECT ?, ?'],
  ["SELECT 'a\\\\' , 'b'", 'SELECT ? , ?'],
  ['SELECT "say ""hi"""', 'SELECT ?'],
  ["SELECT '' , \"\"", 'SELECT ? , ?'],
  ["SELECT 'multi\nline'", 'SELECT ?'],
  ["SELECT 'unterminated", 'SELECT ?'],
  ["SELECT 'a' 'b'", 'SELECT ? ?'],
  ["SELECT '--not a comment' AS c", 'SELECT ? AS c'],
  ["SELECT '/* nor this */'", 'SELECT ?'],
  ["SELECT 'x`y' FROM `t`", 'SELECT ? FROM `t`'],
  // numbers
  ['SELECT 42', 'SELECT ?'],
  ['SELECT -42', 'SELECT ?'],
  ['SELECT 3.14, .5, 5., 1e10, 1.5E-3, 2e+7', 'SELECT ?, ?, ?, ?, ?, ?'],
  ['SELECT * FROM t WHERE a = -1.5e3', 'SELECT * FROM t WHERE a = ?'],
  ['SELECT a-1, a - 1, a -1 FROM t', 'SELECT a-?, a - ?, a -? FROM t'],
  ['SELECT 1--1', 'SELECT ?-?'],
  ['SELECT * FROM t WHERE a > +7', 'SELECT * FROM t WHERE a > ?'],
  ['SELECT * FROM t LIMIT 10 OFFSET 20', 'SELECT * FROM t LIMIT ? OFFSET ?'],
  ['SELECT * FROM t LIMIT 5, 10', 'SELECT * FROM t LIMIT ?, ?'],
  ['SELECT (1)+(2)', 'SELECT (?)+(?)'],
  // hex and bit literals
  ["SELECT x'4D7953514C', X'ff'", 'SELECT ?, ?'],
  ['SELECT 0x4D7953514C, 0XFF', 'SELECT ?, 0XFF'],
  ["SELECT b'1010', B'1'", 'SELECT ?, ?'],
  ['SELECT 0b1010', 'SELECT ?'],
  ["SELECT _utf8mb4'abc' COLLATE utf8mb4_bin", 'SELECT ? COLLATE utf8mb4_bin'],
  ["SELECT N'national', n'x'", 'SELECT ?, ?'],
  ["SELECT DATE '2026-12-03', TIMESTAMP '2026-12-03 10:00:00'", 'SELECT DATE ?, TIMESTAMP ?'],
  // TRUE/FALSE/NULL as values, not in predicates or definitions
  ['UPDATE t SET a = NULL, b = TRUE, c = false', 'UPDATE t SET a = ?, b = ?, c = ?'],
  ['SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL', 'SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL'],
  ['SELECT * FROM t WHERE a IS TRUE', 'SELECT * FROM t WHERE a IS TRUE'],
  ['CREATE TABLE t (id INT NOT NULL, note TEXT DEFAULT NULL)', 'CREATE TABLE t (id INT NOT NULL, note TEXT DEFAULT NULL)'],
  ['INSERT INTO t VALUES (NULL, TRUE)', 'INSERT INTO t VALUES (?, ?)'],
  ['SELECT nullable, true_value, falsey FROM t', 'SELECT nullable, true_value, falsey FROM t'],
  // IN lists
  ['SELECT * FROM t WHERE id IN (1, 2, 3)', 'SELECT * FROM t WHERE id IN (?)'],
  ["SELECT * FROM t WHERE name IN ('a','b')", 'SELECT * FROM t WHERE name IN (?)'],
  ['SELECT * FROM t WHERE id in(?, ?, ?)', 'SELECT * FROM t WHERE id in(?)'],
  ['SELECT * FROM t WHERE id NOT IN (7,8) AND x IN (9)', 'SELECT * FROM t WHERE id NOT IN (?) AND x IN (?)'],
  ['SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE age > 30)', 'SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE age > ?)'],
  ['SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4))', 'SELECT * FROM t WHERE (a, b) IN ((?, ?), (?, ?))'],
  ['SELECT * FROM t WHERE id IN (1, 2', 'SELECT * FROM t WHERE id IN (?, ?'],
  // comments
  ['SELECT a -- the a column\nFROM t', 'SELECT a -- the a column\nFROM t'],
  ['SELECT a -- user 12345\nFROM t', 'SELECT a \nFROM t'],
  ["SELECT a # note 'secret'\nFROM t", 'SELECT a \nFROM t'],
  ['SELECT a # plain note\nFROM t', 'SELECT a # plain note\nFROM t'],
  ['SELECT /*+ MAX_EXECUTION_TIME(1000) */ a FROM t', 'SELECT  a FROM t'],
  ['SELECT /*+ NO_INDEX_MERGE(t) */ a FROM t', 'SELECT /*+ NO_INDEX_MERGE(t) */ a FROM t'],
  ["/* request 'abc' */SELECT 1", 'SELECT ?'],
  ['SELECT a/*5*/FROM t', 'SELECT a FROM t'],
  ['SELECT 1 /* unterminated 7', 'SELECT ? '],
  ['/*!40101 SET NAMES utf8 */', ''],
  ["SELECT a FROM t -- trailing 'x'", 'SELECT a FROM t '],
  // identifiers that look like literals
  ["SELECT `123`, `a''b`, `it's`, `0x1F` FROM `2024`", "SELECT `123`, `a''b`, `it's`, `0x1F` FROM `2024`"],
  ['SELECT `a``b` FROM t WHERE `c` = 1', 'SELECT `a``b` FROM t WHERE `c` = ?'],
  ['SELECT t1.col2, 1abc, a1e5 FROM db1.t1', 'SELECT t1.col2, 1abc, a1e5 FROM db1.t1'],
  ['SELECT $price, _x9 FROM t', 'SELECT $price, _x9 FROM t'],
  ['SELECT 0xZZ FROM t', 'SELECT 0xZZ FROM t'],
  // statements of every kind, multi-statements
  ["INSERT INTO users (name, age) VALUES ('bob', 42), ('eve', -1)", 'INSERT INTO users (name, age) VALUES (?, ?), (?, ?)'],
  ["UPDATE users SET name = 'x', age = age + 1 WHERE id = 9", 'UPDATE users SET name = ?, age = age + ? WHERE id = ?'],
  ['DELETE FROM users WHERE id = 5', 'DELETE FROM users WHERE id = ?'],
  ["REPLACE INTO kv VALUES ('k', 'v')", 'REPLACE INTO kv VALUES (?, ?)'],
  ["CALL add_user('ann', 33)", 'CALL add_user(?, ?)'],
  ["SELECT 1; SELECT 'two'; DELETE FROM t WHERE a = 3", 'SELECT ?; SELECT ?; DELETE FROM t WHERE a = ?'],
  ["SET @v = 'x'; SET SESSION sql_mode = 'ANSI'", 'SET @v = ?; SET SESSION sql_mode = ?'],
  ["SET PASSWORD FOR 'app'@'%' = PASSWORD('hunter2')", 'SET PASSWORD FOR ?@? = PASSWORD(?)'],
  ["CREATE USER 'u'@'localhost' IDENTIFIED BY 'canary'", 'CREATE USER ?@? IDENTIFIED BY ?'],
  ['SELECT * FROM t WHERE a BETWEEN 1 AND 10', 'SELECT * FROM t WHERE a BETWEEN ? AND ?'],
  ["SELECT CASE WHEN a = 1 THEN 'one' ELSE -1 END FROM t", 'SELECT CASE WHEN a = ? THEN ? ELSE ? END FROM t'],
  ['SELECT NOW() - INTERVAL 7 DAY', 'SELECT NOW() - INTERVAL ? DAY'],
  ["SELECT * FROM t WHERE name LIKE '%bob%' ESCAPE '!'", 'SELECT * FROM t WHERE name LIKE ? ESCAPE ?'],
  ["WITH c AS (SELECT 1 AS n) SELECT n FROM c WHERE n <> 'z'", 'WITH c AS (SELECT ? AS n) SELECT n FROM c WHERE n <> ?'],
  ['SELECT JSON_EXTRACT(doc, \'$.a\') FROM t', 'SELECT JSON_EXTRACT(doc, ?) FROM t'],
  ['', ''],
  ['   ', '   '],
];

test(`sanitizeSql: a table of ${TABLE.length} statements`, () => {
  assert.ok(TABLE.length >= 60);
  for (const [input, expected] of TABLE) assert.equal(sanitizeSql(input), expected, `for ${JSON.stringify(input)}`);
});

test('sanitizeSql: a statement without literals comes back as the same string', () => {
  const sql = 'SELECT a, b FROM t WHERE id = ? AND name IS NOT NULL';
  assert.equal(sanitizeSql(sql), sql);
});

test('sanitizeSql: cut at the bound, which defaults to the tag limit, and never leaves a literal half-cut', () => {
  assert.equal(MAX_SANITIZED_SQL_LENGTH, 4096);
  const values = Array.from({ length: 100_000 }, (_, i) => `(${i}, 'name-${i}')`).join(', ');
  const sql = `INSERT INTO t VALUES ${values}`;
  // the fastest of a few runs: a garbage collection of the 2 MB built above may land in one
  let ms = Infinity;
  let out = '';
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    out = sanitizeSql(sql);
    ms = Math.min(ms, Number(process.hrtime.bigint() - started) / 1e6);
  }
  assert.ok(out.length <= 4096, `length ${out.length}`);
  assert.ok(out.startsWith('INSERT INTO t VALUES (?, ?), (?, ?)'));
  assert.doesNotMatch(out, /name-|\d/);
  // only the first few KB are read
  assert.ok(ms < 50, `${ms} ms for a ${sql.length}-character statement`);
  assert.equal(sanitizeSql("SELECT 'abcdef', 1", 10), 'SELECT ?, ');
  assert.equal(sanitizeSql('SELECT a FROM t', 6), 'SELECT');
});

test('sqlVerb: the first word in capitals, or the fallback', () => {
  const cases: [string, string][] = [
    ['SELECT 1', 'SELECT'],
    ['  select 1', 'SELECT'],
    ['insert into t values (1)', 'INSERT'],
    ['Update t set a = 1', 'UPDATE'],
    ['(SELECT 1) UNION (SELECT 2)', 'SELECT'],
    ['/* hint */ DELETE FROM t', 'DELETE'],
    ['-- note\nCALL p()', 'CALL'],
    ['# note\nreplace into t values (1)', 'REPLACE'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH'],
    ['START TRANSACTION', 'START'],
    ['optimize table t', 'OPTIMIZE'],
    ['', 'query'],
    ['   ', 'query'],
    ['123', 'query'],
    ['/* never closed', 'query'],
    ['`t`', 'query'],
    ['SELECT1', 'query'],
    ['averyveryveryverylongword x', 'query'],
  ];
  for (const [input, expected] of cases) assert.equal(sqlVerb(input), expected, `for ${JSON.stringify(input)}`);
  assert.equal(sqlVerb('', 'mysql'), 'mysql');
});

// A small deterministic generator (no dependency): statements from random fragments, each literal
// a unique marker, and no marker may survive.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// A line comment ends at the line's end: a literal inside it must not span lines.
const oneLine = (text: string): string => text.replace(/\n/g, ' ');

test('sanitizeSql property: no literal of a random statement survives', () => {
  const next = random(20261203);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const identifiers = ['id', 'name', 't.col', '`weird col`', '`12`', 'a_b', 'x1', '`lit``eral`'];
  const operators = [' = ', ' <> ', ' > ', ' <= ', '=', ' LIKE ', ' + ', '-', ' * '];
  for (let round = 0; round < 3000; round++) {
    const markers: string[] = [];
    const literal = (): string => {
      const marker = `zq${round}k${markers.length}`;
      const digits = String(700000 + round * 50 + markers.length);
      const kind = Math.floor(next() * 14);
      switch (kind) {
        case 0: markers.push(marker); return `'${marker}'`;
        case 1: markers.push(marker); return `"${marker}"`;
        case 2: markers.push(marker); return `'it''s ${marker}'`;
        case 3: markers.push(marker); return `'a\\'b\\\\${marker}'`;
        case 4: markers.push(digits); return digits;
        case 5: markers.push(digits); return `-${digits}.25`;
        case 6: markers.push(digits); return `${digits}e-3`;
        case 7: markers.push(digits); return `0x${digits}`;
        case 8: markers.push(digits); return `x'${digits}'`;
        case 9: markers.push('1011001'); return "b'1011001'";
        case 10: markers.push(marker); return `_utf8mb4'${marker}'`;
        case 11: markers.push(digits); return `.${digits}`;
        case 12: markers.push(marker); return `'${marker}\n${marker}'`;
        default: markers.push(digits); return `+${digits}`;
      }
    };
    const condition = (): string => {
      const choice = next();
      if (choice < 0.2) return `${pick(identifiers)} IN (${[literal(), literal(), literal()].join(pick([', ', ',']))})`;
      if (choice < 0.3) return `${pick(identifiers)} BETWEEN ${literal()} AND ${literal()}`;
      if (choice < 0.4) return `${pick(identifiers)} = NULL`;
      return `${pick(identifiers)}${pick(operators)}${literal()}`;
    };
    const comment = next() < 0.3 ? pick([` /* c ${literal()} */ `, ` -- c ${oneLine(literal())}\n`, ` # ${oneLine(literal())}\n`, ' /* plain */ ']) : ' ';
    const statement = pick([
      () => `SELECT ${pick(identifiers)},${comment}${literal()} FROM t WHERE ${condition()} AND ${condition()}`,
      () => `INSERT INTO t (a, b) VALUES (${literal()}, ${literal()}),(${literal()},${literal()})`,
      () => `UPDATE t SET ${pick(identifiers)} = ${literal()},${comment}b=${literal()} WHERE ${condition()}`,
      () => `DELETE FROM t WHERE ${condition()} OR ${condition()}; SELECT ${literal()}`,
      () => `CALL p(${literal()}, ${literal()})${comment}`,
    ])();
    const out = sanitizeSql(statement);
    for (const marker of markers) {
      assert.ok(!out.includes(marker), `${JSON.stringify(marker)} survived in ${JSON.stringify(out)} (from ${JSON.stringify(statement)})`);
    }
    assert.doesNotMatch(out, /TRUE|FALSE|= NULL|'|"/);
  }
});

test('sanitizeSql: never throws, whatever the text', () => {
  const next = random(7);
  const alphabet = "'\"`\\-#/*()?,;.0123456789 xXbB_eE+aINnull\n";
  for (let round = 0; round < 5000; round++) {
    let sql = '';
    const length = Math.floor(next() * 40);
    for (let i = 0; i < length; i++) sql += alphabet[Math.floor(next() * alphabet.length)];
    const out = sanitizeSql(sql);
    assert.equal(typeof out, 'string');
    assert.ok(out.length <= sql.length + 1, `${JSON.stringify(sql)} -> ${JSON.stringify(out)}`);
  }
});

describe('sanitizeSqlErrorMessage', () => {
  test('values quoted by MySQL and MariaDB messages become ?, names stay', () => {
    const cases: [string, string][] = [
      ["Duplicate entry 'alice@example.com' for key 'users.email'", "Duplicate entry '?' for key 'users.email'"],
      ["Duplicate entry 'it''s-\\'x' for key 'PRIMARY'", "Duplicate entry '?' for key 'PRIMARY'"],
      ["Incorrect integer value: 'abc' for column `shop`.`t`.`n` at row 1", "Incorrect integer value: '?' for column `shop`.`t`.`n` at row 1"],
      ["Truncated incorrect DOUBLE value: 'x1'", "Truncated incorrect DOUBLE value: '?'"],
      ["You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'SELEC 'secret', 42' at line 1",
        "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'SELEC ?, ?' at line 1"],
      ["Table 'shop.nope' doesn't exist", "Table 'shop.nope' doesn't exist"],
      ['Unknown column x', 'Unknown column x'],
    ];
    for (const [message, expected] of cases) assert.equal(sanitizeSqlErrorMessage(message), expected, message);
  });
});
