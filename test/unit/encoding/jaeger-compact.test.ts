import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ThriftSink } from '../../../src/encoding/thrift-sink.js';
import { writeCompactSpan, encodeCompactProcess } from '../../../src/encoding/jaeger-compact.js';
import { writeString, writeVarint64, writeZigzag64, listHeaderLength, writeListHeader } from '../../../src/encoding/thrift-compact.js';
import type { FinishedSpan } from '../../../src/tracer/finished-span.js';
import { ascii, contextOf, fixedSpan, hex } from './span-records.js';

function encode(span: FinishedSpan): string {
  const sink = new ThriftSink(16);
  writeCompactSpan(sink, span);
  return hex(sink.buf.subarray(0, sink.off));
}

/** Bytes of the default fixture span up to its timestamps (field 9), flags header 0x25 (no references). */
const IDS_AND_NAME = '1602' + '1600' + '1604' + '1602' + '1802' + ascii('op');
const FLAGS_AND_TIMES = '2502' + '16b817' + '16a01f';

/** Reference zigzag varint of a signed 64-bit integer. */
function referenceZigzag(value: bigint): string {
  let z = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  let out = '';
  while (z > 0x7fn) {
    out += ((Number(z & 0x7fn) | 0x80).toString(16)).padStart(2, '0');
    z >>= 7n;
  }
  return out + Number(z).toString(16).padStart(2, '0');
}

describe('compact protocol primitives', () => {
  test('zigzag varint of 64-bit words matches a BigInt reference, edge cases and random', () => {
    const cases: [number, number][] = [[0, 0], [0, 1], [-1, -1], [0, 0x7f], [0, 0x80], [0, -1], [1, 0], [0x7fffffff, -1], [-0x80000000, 0], [0x00ffffff, 0x12345678]];
    for (let i = 0; i < 2000; i++) cases.push([(Math.random() * 2 ** 32) | 0, (Math.random() * 2 ** 32) | 0]);
    const buf = Buffer.alloc(16);
    for (const [hi, lo] of cases) {
      const end = writeZigzag64(buf, 0, hi, lo);
      const value = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
      assert.equal(hex(buf.subarray(0, end)), referenceZigzag(value), `hi=${hi} lo=${lo}`);
    }
  });

  test('64-bit extremes take ten bytes', () => {
    const buf = Buffer.alloc(16);
    assert.equal(hex(buf.subarray(0, writeZigzag64(buf, 0, -0x80000000, 0))), 'ffffffffffffffffff01');
    assert.equal(hex(buf.subarray(0, writeZigzag64(buf, 0, 0x7fffffff, -1))), 'feffffffffffffffff01');
    assert.equal(hex(buf.subarray(0, writeVarint64(buf, 0, 0x100, 0))), '808080808020');
  });

  test('strings: ASCII, multi-byte UTF-8, and lengths needing two varint bytes', () => {
    const buf = Buffer.alloc(1024);
    assert.equal(hex(buf.subarray(0, writeString(buf, 0, 'héllo'))), '06' + '68c3a96c6c6f');
    assert.equal(hex(buf.subarray(0, writeString(buf, 0, ''))), '00');
    const fifty = 'x'.repeat(50);
    assert.equal(hex(buf.subarray(0, writeString(buf, 0, fifty))), '32' + ascii(fifty));
    const long = 'y'.repeat(200);
    assert.equal(hex(buf.subarray(0, writeString(buf, 0, long))), 'c801' + ascii(long));
    const wide = '€'.repeat(42); // 126 bytes: the one-byte length still fits
    assert.equal(hex(buf.subarray(0, writeString(buf, 0, wide))), '7e' + Buffer.from(wide).toString('hex'));
  });

  test('list headers: short form below 15 elements, long form from 15', () => {
    const buf = Buffer.alloc(8);
    assert.equal(hex(buf.subarray(0, writeListHeader(buf, 0, 12, 14))), 'ec');
    assert.equal(hex(buf.subarray(0, writeListHeader(buf, 0, 12, 15))), 'fc0f');
    assert.equal(hex(buf.subarray(0, writeListHeader(buf, 0, 12, 300))), 'fcac02');
    for (const size of [0, 14, 15, 127, 128, 16383, 16384, 2097151, 2097152]) {
      assert.equal(writeListHeader(Buffer.alloc(8), 0, 12, size), listHeaderLength(size), `size ${size}`);
    }
  });
});

describe('compact jaeger.thrift Span', () => {
  test('a span with one string tag, byte for byte', () => {
    const tag = '1c' + '1801' + ascii('k') + '1500' + '1801' + ascii('v') + '00';
    assert.equal(encode(fixedSpan({ tags: { k: 'v' } })), IDS_AND_NAME + FLAGS_AND_TIMES + '19' + tag + '00');
  });

  test('no tags and no logs: both optional lists are left out', () => {
    assert.equal(encode(fixedSpan()), IDS_AND_NAME + FLAGS_AND_TIMES + '00');
  });

  test('every tag type', () => {
    const span = fixedSpan({
      tags: { s: 'v', t: true, f: false, l: -1, big: 2 ** 40, d: 1.5, b: Buffer.from([1, 2, 3]), n: 2n ** 62n },
    });
    const key = (k: string): string => '18' + Buffer.from([k.length]).toString('hex') + ascii(k) + '15';
    const expected = IDS_AND_NAME + FLAGS_AND_TIMES + '19' + '8c' +
      key('s') + '00' + '1801' + ascii('v') + '00' +
      key('t') + '04' + '31' + '00' +
      key('f') + '04' + '32' + '00' +
      key('l') + '06' + '46' + '01' + '00' +
      key('big') + '06' + '46' + '808080808040' + '00' +
      key('d') + '02' + '27' + '000000000000f83f' + '00' +
      key('b') + '08' + '58' + '03010203' + '00' +
      key('n') + '06' + '46' + referenceZigzag(2n ** 62n) + '00' +
      '00';
    assert.equal(encode(span), expected);
  });

  test('LONG tags across the int32 fast path and the 64-bit path agree with the reference', () => {
    for (const value of [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53), 2 ** 62]) {
      const encoded = encode(fixedSpan({ tags: { v: value } }));
      const expected = '19' + '1c' + '1801' + ascii('v') + '15' + '06' + '46' + referenceZigzag(BigInt(value)) + '00' + '00';
      assert.ok(encoded.endsWith(expected), `${value}: ${encoded}`);
    }
  });

  test('values that are not strings, numbers, booleans or bytes become STRING tags', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const span = fixedSpan({ tags: { o: { a: 1 }, e: new TypeError('boom'), u: undefined, c: circular } });
    const str = (k: string, v: string): string => '1801' + ascii(k) + '15' + '00' + '18' + Buffer.from([v.length]).toString('hex') + ascii(v) + '00';
    assert.equal(encode(span), IDS_AND_NAME + FLAGS_AND_TIMES + '19' + '4c' +
      str('o', '{"a":1}') + str('e', 'TypeError: boom') + str('u', 'undefined') + str('c', '{"self":"[Circular]"}') + '00');
  });

  test('logs with timestamps in microseconds; the logs field header skips the absent tags field', () => {
    const span = fixedSpan({ logs: [{ timestamp: 2, fields: { event: 'x' } }] });
    const log = '1c' + '16a01f' + '19' + '1c' + '1805' + ascii('event') + '1500' + '1801' + ascii('x') + '00' + '00';
    assert.equal(encode(span), IDS_AND_NAME + FLAGS_AND_TIMES + '29' + log + '00');
    const tagged = fixedSpan({ tags: { k: 'v' }, logs: [{ timestamp: 2, fields: { event: 'x' } }] });
    assert.ok(encode(tagged).endsWith('00' + '19' + log + '00'), 'after tags, logs use delta 1');
  });

  test('explicit references are written; the flags header then has delta 1', () => {
    const other = contextOf([0, 3, 0, 4], [0, 5]);
    const span = fixedSpan({ references: [{ type: 'follows_from', context: other }] });
    const ref = '1c' + '1502' + '1608' + '1606' + '160a' + '00';
    assert.equal(encode(span), IDS_AND_NAME + '19' + ref + '1502' + '16b817' + '16a01f' + '00');
  });

  test('128-bit trace ids, negative span ids, debug flags and a UTF-8 operation name', () => {
    const span = fixedSpan({ traceWords: [-1, -1, 0, 0x7f], spanId: [-1, -2], parentId: [0, 0], flags: 3, name: 'héllo' });
    assert.equal(encode(span), '16fe01' + '1601' + '1603' + '1600' + '1806' + '68c3a96c6c6f' + '2506' + '16b817' + '16a01f' + '00');
  });

  test('start and duration round to whole microseconds', () => {
    const times = (startMs: number, endMs: number): string => {
      const sink = new ThriftSink(16);
      writeCompactSpan(sink, fixedSpan({ startMs, endMs }));
      const encoded = hex(sink.buf.subarray(0, sink.off));
      return encoded.slice((IDS_AND_NAME + '2502').length, -2);
    };
    assert.equal(times(1_700_000_000_000.25, 1_700_000_000_001.5), '16' + referenceZigzag(1_700_000_000_000_250n) + '16' + referenceZigzag(1250n));
    assert.equal(times(2.0004, 2.0010), '16' + referenceZigzag(2000n) + '16' + referenceZigzag(1n));
  });

  test('repeated, long and non-ASCII keys encode identically to the first time', () => {
    const longKey = 'k'.repeat(70);
    const tags = { [longKey]: 1, 'ключ': 2, 'http.method': 'GET' };
    const first = encode(fixedSpan({ tags }));
    assert.equal(encode(fixedSpan({ tags })), first);
    assert.ok(first.includes('1846' + ascii(longKey) + '1506'), 'uncached long key');
    assert.ok(first.includes('1808' + Buffer.from('ключ').toString('hex') + '1506'), 'UTF-8 key');
  });

  test('tags written again (cached whole) and keys with ever-changing values stay byte-exact', () => {
    const str = (k: string, v: string): string => '18' + Buffer.from([k.length]).toString('hex') + ascii(k) + '15' + '00' + '18' +
      Buffer.from([Buffer.byteLength(v)]).toString('hex') + Buffer.from(v).toString('hex') + '00';
    const long = (k: string, v: number): string => '18' + Buffer.from([k.length]).toString('hex') + ascii(k) + '15' + '06' + '46' + referenceZigzag(BigInt(v)) + '00';
    const bool = (k: string, v: boolean): string => '18' + Buffer.from([k.length]).toString('hex') + ascii(k) + '15' + '04' + (v ? '31' : '32') + '00';
    // Same-looking values of different types never share an encoding.
    for (let round = 0; round < 3; round++) {
      assert.equal(encode(fixedSpan({ tags: { 'same.key': 1 } })), IDS_AND_NAME + FLAGS_AND_TIMES + '19' + '1c' + long('same.key', 1) + '00');
      assert.equal(encode(fixedSpan({ tags: { 'same.key': '1' } })), IDS_AND_NAME + FLAGS_AND_TIMES + '19' + '1c' + str('same.key', '1') + '00');
      assert.equal(encode(fixedSpan({ tags: { 'same.key': true } })), IDS_AND_NAME + FLAGS_AND_TIMES + '19' + '1c' + bool('same.key', true) + '00');
    }
    // Far more distinct values than a key caches, each seen twice, in several types and lengths.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40; i++) {
        const text = i % 3 === 0 ? `/items/${i}` : i % 3 === 1 ? 'é'.repeat(i) : 'x'.repeat(30 + i);
        const tags = { 'varying.text': text, 'varying.number': 40_000 + i * 997, 'varying.flag': i % 2 === 0 };
        const expected = IDS_AND_NAME + FLAGS_AND_TIMES + '19' + '3c' +
          str('varying.text', text) + long('varying.number', 40_000 + i * 997) + bool('varying.flag', i % 2 === 0) + '00';
        assert.equal(encode(fixedSpan({ tags })), expected, `round ${round}, value ${i}`);
      }
    }
  });

  test('the sink grows for big values and keeps earlier spans intact', () => {
    const sink = new ThriftSink(64);
    writeCompactSpan(sink, fixedSpan());
    const before = hex(sink.buf.subarray(0, sink.off));
    const big = 'z'.repeat(100_000);
    writeCompactSpan(sink, fixedSpan({ tags: { big }, logs: [{ timestamp: 2, fields: { big } }] }));
    assert.equal(hex(sink.buf.subarray(0, before.length / 2)), before);
    assert.ok(sink.off > 200_000);
  });
});

describe('compact Process', () => {
  test('service name and tags, byte for byte', () => {
    const process = encodeCompactProcess('svc', { hostname: 'h', pid: 7, up: true });
    assert.equal(hex(process), '1803' + ascii('svc') + '19' + '3c' +
      '1808' + ascii('hostname') + '1500' + '1801' + ascii('h') + '00' +
      '1803' + ascii('pid') + '1506' + '460e' + '00' +
      '1802' + ascii('up') + '1504' + '31' + '00' + '00');
  });

  test('no tags: the list is left out', () => {
    assert.equal(hex(encodeCompactProcess('s', {})), '1801' + ascii('s') + '00');
  });
});
