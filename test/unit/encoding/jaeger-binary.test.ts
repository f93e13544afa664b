import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ThriftSink } from '../../../src/encoding/thrift-sink.js';
import { encodeBinaryProcess, writeBinarySpan } from '../../../src/encoding/jaeger-binary.js';
import { writeString } from '../../../src/encoding/thrift-binary.js';
import type { FinishedSpan } from '../../../src/tracer/finished-span.js';
import { ascii, contextOf, fixedSpan, hex } from './span-records.js';

function encode(span: FinishedSpan): string {
  const sink = new ThriftSink(16);
  writeBinarySpan(sink, span);
  return hex(sink.buf.subarray(0, sink.off));
}

const i64 = (id: number, hi: number, lo: number): string => {
  const b = Buffer.alloc(8);
  b.writeInt32BE(hi, 0);
  b.writeInt32BE(lo, 4);
  return '0a' + id.toString(16).padStart(4, '0') + b.toString('hex');
};
const i32 = (value: number): string => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value, 0);
  return b.toString('hex');
};
const str = (value: string): string => i32(Buffer.byteLength(value)) + Buffer.from(value).toString('hex');

const IDS_AND_NAME = i64(1, 0, 1) + i64(2, 0, 0) + i64(3, 0, 2) + i64(4, 0, 1) + '0b0005' + str('op');
const FLAGS_AND_TIMES = '080007' + i32(1) + i64(8, 0, 1500) + i64(9, 0, 2000);
const tagHead = (key: string, type: number): string => '0b0001' + str(key) + '080002' + i32(type);

describe('binary jaeger.thrift Span', () => {
  test('a span with one string tag, byte for byte', () => {
    const tags = '0f000a' + '0c' + i32(1) + tagHead('k', 0) + '0b0003' + str('v') + '00';
    assert.equal(encode(fixedSpan({ tags: { k: 'v' } })), IDS_AND_NAME + FLAGS_AND_TIMES + tags + '00');
  });

  test('no tags, no logs, no references: only required fields', () => {
    assert.equal(encode(fixedSpan()), IDS_AND_NAME + FLAGS_AND_TIMES + '00');
  });

  test('every tag type', () => {
    const span = fixedSpan({ tags: { s: 'v', t: true, f: false, l: -1, d: 1.5, b: Buffer.from([1, 2, 3]), n: -(2n ** 63n) } });
    const expected = IDS_AND_NAME + FLAGS_AND_TIMES + '0f000a' + '0c' + i32(7) +
      tagHead('s', 0) + '0b0003' + str('v') + '00' +
      tagHead('t', 2) + '020005' + '01' + '00' +
      tagHead('f', 2) + '020005' + '00' + '00' +
      tagHead('l', 3) + i64(6, -1, -1) + '00' +
      tagHead('d', 1) + '040004' + '3ff8000000000000' + '00' +
      tagHead('b', 4) + '0b0007' + i32(3) + '010203' + '00' +
      tagHead('n', 3) + i64(6, -0x80000000, 0) + '00' +
      '00';
    assert.equal(encode(span), expected);
  });

  test('LONG tags at the int32 and int64 boundaries', () => {
    for (const value of [0, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53)]) {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(value));
      const expected = '0f000a' + '0c' + i32(1) + tagHead('v', 3) + '0a0006' + b.toString('hex') + '00' + '00';
      assert.ok(encode(fixedSpan({ tags: { v: value } })).endsWith(expected), String(value));
    }
  });

  test('references, logs, 128-bit ids and flags', () => {
    const other = contextOf([0, 3, 0, 4], [0, 5]);
    const span = fixedSpan({
      traceWords: [-1, -2, 0x12345678, -0x10000000], spanId: [7, 8], parentId: [0, 0], flags: 3, name: 'héllo',
      references: [{ type: 'child_of', context: other }],
      logs: [{ timestamp: 2.5, fields: { n: 2 ** 40 } }],
    });
    const expected = i64(1, 0x12345678, -0x10000000) + i64(2, -1, -2) + i64(3, 7, 8) + i64(4, 0, 0) + '0b0005' + str('héllo') +
      '0f0006' + '0c' + i32(1) + '080001' + i32(0) + i64(2, 0, 4) + i64(3, 0, 3) + i64(4, 0, 5) + '00' +
      '080007' + i32(3) + i64(8, 0, 1500) + i64(9, 0, 2000) +
      '0f000b' + '0c' + i32(1) + i64(1, 0, 2500) + '0f0002' + '0c' + i32(1) + tagHead('n', 3) + i64(6, 256, 0) + '00' + '00' +
      '00';
    assert.equal(encode(span), expected);
  });

  test('strings: short ASCII, UTF-8 and long', () => {
    const buf = Buffer.alloc(1024);
    for (const value of ['', 'abc', 'ключ', 'x'.repeat(63), 'x'.repeat(64), 'é'.repeat(300)]) {
      assert.equal(hex(buf.subarray(0, writeString(buf, 0, value))), str(value), value.slice(0, 8));
    }
  });
});

describe('binary Process', () => {
  test('service name and tags, byte for byte', () => {
    assert.equal(hex(encodeBinaryProcess('svc', { hostname: 'h', pid: 7 })),
      '0b0001' + str('svc') + '0f0002' + '0c' + i32(2) +
      tagHead('hostname', 0) + '0b0003' + str('h') + '00' +
      tagHead('pid', 3) + i64(6, 0, 7) + '00' + '00');
  });
});
