import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter } from '../../../src/encoding/otlp-proto-writer.js';
import { addNanos, splitMs } from '../../../src/encoding/otlp-common.js';

function bytes(write: (w: ProtoWriter) => void, size = 64): number[] {
  const w = new ProtoWriter(size);
  write(w);
  return [...w.finish()];
}

/** Reference: a protobuf varint computed with BigInt. */
function varint(value: bigint): number[] {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

describe('ProtoWriter', () => {
  test('uint32 varints at every length boundary', () => {
    for (const value of [0, 1, 127, 128, 300, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 32 - 1]) {
      assert.deepEqual(bytes((w) => w.uint32Field(1, value)), [0x08, ...varint(BigInt(value))], String(value));
    }
  });

  test('int64: negatives are ten-byte two\'s complement, large integers exact', () => {
    for (const value of [0, 1, -1, -42, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 60, -(2 ** 63)]) {
      assert.deepEqual(bytes((w) => w.int64Field(3, value)), [0x18, ...varint(BigInt(value))], String(value));
    }
    assert.deepEqual(bytes((w) => w.bigintField(3, -5n)), [0x18, ...varint(-5n)]);
  });

  test('fixed64 nanoseconds are exact where a double would round', () => {
    for (const [secs, nanos] of [[0, 0], [1, 999_999_999], [1_700_000_000, 123_250_000], [4_102_444_800, 1], [2 ** 32 - 1, 999_999_999]] as const) {
      const expected = BigInt(secs) * 1_000_000_000n + BigInt(nanos);
      const out = Buffer.from(bytes((w) => w.nanosField(7, secs, nanos)));
      assert.equal(out[0], (7 << 3) | 1);
      assert.equal(out.readBigUInt64LE(1), expected, `${secs}.${nanos}`);
    }
  });

  test('strings: ASCII fast path, UTF-8 fallback, long strings', () => {
    assert.deepEqual(bytes((w) => w.stringField(1, 'GET')), [0x0a, 3, 0x47, 0x45, 0x54]);
    const unicode = 'naïve ☃';
    assert.deepEqual(bytes((w) => w.stringField(1, unicode)), [0x0a, Buffer.byteLength(unicode), ...Buffer.from(unicode)]);
    const long = 'x'.repeat(300);
    assert.deepEqual(bytes((w) => w.stringField(2, long)), [0x12, ...varint(300n), ...Buffer.from(long)]);
  });

  test('nested messages get the right length whatever was reserved, moving the body if needed', () => {
    const body = 'y'.repeat(200); // 203-byte body needs a 2-byte length
    for (const reserve of [1, 2, 3]) {
      const out = bytes((w) => {
        const start = w.begin(4, reserve);
        w.stringField(1, body);
        w.end(start, reserve);
      });
      assert.deepEqual(out, [0x22, ...varint(203n), 0x0a, ...varint(200n), ...Buffer.from(body)], `reserve ${reserve}`);
    }
  });

  test('the buffer grows, and results are copies independent of later writes', () => {
    const w = new ProtoWriter(8);
    w.stringField(1, 'a'.repeat(1000));
    const first = w.finish();
    w.reset();
    w.stringField(1, 'b');
    assert.equal(first.length, 1003);
    assert.equal(first[3], 0x61);
  });
});

describe('timestamps', () => {
  test('splitMs keeps microsecond fractions and never reaches 1e9 nanoseconds', () => {
    const split = new Float64Array(2);
    splitMs(1_700_000_000_123.25, split);
    assert.deepEqual([...split], [1_700_000_000, 123_250_000]);
    splitMs(1999.9999999999, split);
    assert.ok(split[1]! < 1e9);
    splitMs(-5, split);
    assert.deepEqual([...split], [0, 0]);
  });

  test('addNanos carries into seconds', () => {
    const split = Float64Array.of(10, 900_000_000);
    addNanos(split, 2_300_000_000);
    assert.deepEqual([...split], [13, 200_000_000]);
  });
});
