import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createTestTracer } from '../../../src/testing/index.js';
import { boundTagValue, renderBounded } from '../../../src/tracer/tag-value.js';

/** Random JSON-ish data with the awkward parts JSON has rules for. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 8 : 11));
  switch (pick) {
    case 0: return null;
    case 1: return random() < 0.5;
    case 2: return Math.floor(random() * 1e6) - 5e5;
    case 3: return [NaN, Infinity, -0, 1.5e300, 0.1][Math.floor(random() * 5)];
    case 4: return ['', 'plain', 'quote " and \\ backslash', 'line\nbreak\u0001', 'é☃😀', '\ud800 lone'][Math.floor(random() * 6)];
    case 5: return undefined;
    case 6: return new Date(Math.floor(random() * 2e12));
    case 7: return () => 1;
    case 8:
    case 9: {
      const array: unknown[] = [];
      for (let i = Math.floor(random() * 4); i > 0; i--) array.push(randomValue(random, depth + 1));
      return array;
    }
    default: {
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 4); i > 0; i--) object[`k${Math.floor(random() * 6)}"`] = randomValue(random, depth + 1);
      return object;
    }
  }
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

describe('renderBounded', () => {
  test('is JSON.stringify for plain data that fits (5 000 random values)', () => {
    const random = seeded(7);
    for (let i = 0; i < 5000; i++) {
      const value = { v: randomValue(random, 0) };
      assert.equal(renderBounded(value, 1e6), JSON.stringify(value), JSON.stringify(value));
    }
  });

  test('is the first max characters of that JSON when it does not fit', () => {
    const random = seeded(11);
    for (let i = 0; i < 2000; i++) {
      const value = { a: randomValue(random, 0), b: randomValue(random, 0), c: 'x'.repeat(40) };
      const json = JSON.stringify(value);
      const max = 1 + Math.floor(random() * json.length);
      assert.equal(renderBounded(value, max), json.slice(0, max), `${max}: ${json}`);
    }
  });

  test('cycles, errors, bigints, throwing getters and toJSON chains render without throwing', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular['self'] = circular;
    assert.equal(renderBounded(circular, 100), '{"name":"loop","self":"[Circular]"}');
    const shared = { x: 1 };
    assert.equal(renderBounded({ a: shared, b: shared }, 100), '{"a":{"x":1},"b":{"x":1}}', 'a repeat is not a cycle');
    assert.equal(renderBounded({ e: new RangeError('far') }, 100), '{"e":"RangeError: far"}');
    assert.equal(renderBounded({ n: 2n ** 70n }, 100), '{"n":"1180591620717411303424"}');
    const getter = { ok: 1, get bad(): never { throw new Error('no'); } };
    assert.equal(renderBounded(getter, 100), '[unprintable object]');
    let calls = 0;
    const chain = { toJSON(): unknown { calls++; return chain; } };
    assert.equal(renderBounded(chain, 100), '{}');
    assert.equal(calls, 1, 'toJSON is called once per value, as JSON does');
    const proxy = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
    assert.equal(renderBounded(proxy, 100), '[unprintable object]');
  });

  test('deep nesting gives a placeholder, not a stack overflow', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const text = renderBounded(deep, 4096);
    assert.equal(text, `${'{"d":'.repeat(10)}"[Object]"${'}'.repeat(10)}`);
  });

  test('stops walking once the limit is written: huge objects and arrays cost what the limit needs', () => {
    let reads = 0;
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) Object.defineProperty(wide, `key${i}`, { enumerable: true, get: () => ++reads });
    assert.equal(renderBounded(wide, 200).length, 200);
    assert.ok(reads < 40, `${reads} properties read for 200 characters`);
    reads = 0;
    const long = Array.from({ length: 100_000 }, () => ({ get v() { return ++reads; } }));
    assert.equal(renderBounded(long, 200).length, 200);
    assert.ok(reads < 40, `${reads} array items read for 200 characters`);
  });
});

describe('boundTagValue', () => {
  test('primitives pass (strings cut); arrays of primitives stay arrays within the limit', () => {
    assert.equal(boundTagValue('abcdef', 3), 'abc');
    for (const value of [1.5, true, 5n, undefined, null]) assert.equal(boundTagValue(value, 3), value);
    assert.deepEqual(boundTagValue(['a', 1, true, null], 100), ['a', 1, true, null]);
    const cut = boundTagValue(Array.from({ length: 1000 }, () => 'abcdefghi'), 100) as string[];
    assert.ok(cut.length >= 9 && cut.length <= 11, `${cut.length} items of 10 characters kept for 100`);
    assert.deepEqual(boundTagValue([[1], 'x'], 100), '[[1],"x"]', 'an array holding objects is one string');
    let reads = 0;
    const huge = new Proxy(new Array(1_000_000).fill(7), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    assert.equal((boundTagValue(huge, 80) as number[]).length, 10);
    assert.ok(reads <= 11, `${reads} items of a million read for 80 characters`);
  });

  test('bytes are copied and cut; functions and symbols are named, never shown as source', () => {
    const bytes = Buffer.from('abcdef');
    const kept = boundTagValue(bytes, 4) as Uint8Array;
    bytes[0] = 0x7a;
    assert.deepEqual([...kept], [0x61, 0x62, 0x63, 0x64]);
    assert.deepEqual([...(boundTagValue(new Uint16Array([1, 2]), 100) as Uint8Array)], [1, 0, 2, 0]);
    assert.equal(boundTagValue(function secretKeeper() { return 'k'; }, 100), '[function secretKeeper]');
    assert.equal(boundTagValue(Symbol('s'), 100), 'Symbol(s)');
  });
});

describe('spans snapshot what they are given', () => {
  test('an object tag is recorded as it was when tagged, within the configured maxTagValueLength', () => {
    const { tracer, finishedSpans } = createTestTracer({ limits: { maxTagValueLength: 64 } });
    const user = { id: 7, roles: ['admin'], note: 'n'.repeat(1000) };
    const span = tracer.startSpan('s');
    span.setTag('user', user);
    span.log({ event: 'x', payload: user, error: new TypeError('bad') });
    user.id = 8;
    span.finish();
    const [record] = finishedSpans();
    const tag = record!.tags['user'] as string;
    assert.equal(tag, JSON.stringify({ id: 7, roles: ['admin'], note: 'n'.repeat(1000) }).slice(0, 64));
    assert.equal(record!.logs[0]!.fields['payload'], tag);
    assert.equal(record!.logs[0]!.fields['error'], 'TypeError: bad');
  });

  test('a span does not keep a tagged object alive', async () => {
    const { tracer, finishedSpans } = createTestTracer();
    const span = tracer.startSpan('s');
    let collected = false;
    const registry = new FinalizationRegistry(() => (collected = true));
    (() => {
      const big = { payload: new Array(1000).fill('x') };
      registry.register(big, 'big');
      span.setTag('big', big);
    })();
    span.finish();
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    for (let i = 0; i < 20 && !collected; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(collected, true, 'the tagged object was collected while the finished span is still held');
    assert.equal(finishedSpans().length, 1);
  });
});
