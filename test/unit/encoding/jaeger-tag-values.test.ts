import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_STRINGIFIED_LENGTH, highWord, isLong, lowWord, microseconds, toWireValue } from '../../../src/encoding/jaeger-tag-values.js';

describe('toWireValue', () => {
  test('strings, numbers, booleans and bytes pass through unchanged', () => {
    const bytes = Buffer.from([1]);
    for (const value of ['s', 0, -1.5, NaN, true, false, bytes]) assert.equal(toWireValue(value), value);
  });

  test('typed arrays other than Uint8Array become their bytes', () => {
    const words = new Uint16Array([1, 2]);
    const wire = toWireValue(words);
    assert.ok(wire instanceof Uint8Array);
    assert.deepEqual([...wire], [...new Uint8Array(words.buffer)]);
  });

  test('bigints in i64 range stay bigints; beyond it, strings', () => {
    assert.equal(toWireValue(-(2n ** 63n)), -(2n ** 63n));
    assert.equal(toWireValue(2n ** 63n), '9223372036854775808');
  });

  test('everything else becomes a readable string, without throwing', () => {
    const circular: Record<string, unknown> = {};
    circular['me'] = circular;
    const hostile = { toJSON() { throw new Error('no'); }, toString() { throw new Error('no'); } };
    assert.equal(toWireValue(null), 'null');
    assert.equal(toWireValue(undefined), 'undefined');
    assert.equal(toWireValue({ a: [1, 'b'] }), '{"a":[1,"b"]}');
    assert.equal(toWireValue(new RangeError('too far')), 'RangeError: too far');
    assert.equal(toWireValue(circular), '{"me":"[Circular]"}');
    assert.equal(toWireValue(hostile), '[unprintable object]');
    assert.equal(toWireValue(Symbol('s')), 'Symbol(s)');
    assert.equal(toWireValue(function named() {}), '[function named]');
    assert.equal(toWireValue(Object.create(null)), '{}');
  });

  test('stringified objects are bounded', () => {
    const wire = toWireValue({ text: 'x'.repeat(10_000) });
    assert.equal(typeof wire, 'string');
    assert.equal((wire as string).length, MAX_STRINGIFIED_LENGTH);
  });
});

describe('64-bit helpers', () => {
  test('isLong: integers within the signed 64-bit range', () => {
    assert.equal(isLong(0), true);
    assert.equal(isLong(-(2 ** 63)), true);
    assert.equal(isLong(2 ** 63), false);
    assert.equal(isLong(1.5), false);
    assert.equal(isLong(Infinity), false);
    assert.equal(isLong(NaN), false);
  });

  test('highWord/lowWord split integers exactly', () => {
    for (const value of [0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40 + 5, -(2 ** 53) + 1, 2 ** 62, -(2 ** 63), 1_700_000_000_000_000]) {
      const rebuilt = (BigInt(highWord(value)) << 32n) + BigInt(lowWord(value) >>> 0);
      assert.equal(rebuilt, BigInt(value), String(value));
    }
  });

  test('microseconds rounds milliseconds to the nearest microsecond', () => {
    assert.equal(microseconds(1.5), 1500);
    assert.equal(microseconds(0.0006), 1);
    assert.equal(microseconds(1_700_000_000_000.25), 1_700_000_000_000_250);
  });
});
