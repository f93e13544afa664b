import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { disguise, isWrapped, originalOf, replaceMethod } from '../../../src/hooks/wrap.js';

describe('disguise', () => {
  test('the wrapper shows the original name, length, prototype and own properties', () => {
    function original(this: unknown, a: number, b: number, c?: number): number {
      return a + b + (c ?? 0);
    }
    (original as unknown as { flag: string }).flag = 'yes';
    const sym = Symbol('s');
    (original as unknown as Record<symbol, number>)[sym] = 7;
    const wrapper = disguise(function (this: unknown, ...args: never[]) {
      return (original as (...a: never[]) => number).apply(this, args);
    }, original as (this: unknown, ...args: never[]) => number);
    assert.equal(wrapper.name, 'original');
    assert.equal(wrapper.length, 3);
    assert.equal(wrapper.prototype, original.prototype);
    assert.equal((wrapper as unknown as { flag: string }).flag, 'yes');
    assert.equal((wrapper as unknown as Record<symbol, number>)[sym], 7);
    assert.equal(originalOf(wrapper), original);
    assert.equal(isWrapped(wrapper), true);
    assert.equal(isWrapped(original), false);
    assert.equal(Object.keys(wrapper).includes('flag'), true, 'enumerability kept');
    assert.equal(Reflect.ownKeys(wrapper).filter((k) => typeof k === 'symbol' && k.description?.includes('original')).length, 1);
  });
});

describe('replaceMethod', () => {
  test('keeps this, arguments, return values and thrown errors; restores the original', () => {
    const target = {
      base: 10,
      add(this: { base: number }, n: number): number {
        if (n < 0) throw new RangeError('negative');
        return this.base + n;
      },
    };
    const original = target.add;
    const calls: unknown[] = [];
    const restore = replaceMethod(target, 'add', (fn) => function (this: unknown, ...args: never[]) {
      calls.push(args);
      return fn.apply(this, args);
    } as typeof fn);
    assert.notEqual(target.add, original);
    assert.equal(target.add.name, 'add');
    assert.equal(target.add(5), 15);
    assert.throws(() => target.add(-1), RangeError);
    assert.deepEqual(calls, [[5], [-1]]);
    const again = replaceMethod(target, 'add', (fn) => (() => 0) as unknown as typeof fn);
    assert.equal(target.add(1), 11, 'never wrapped twice');
    again();
    restore();
    assert.equal(target.add, original);
  });

  test('does not undo a wrapper someone else put on top of ours', () => {
    const target = { run: (): string => 'original' };
    const restore = replaceMethod(target, 'run', (fn) => function (this: unknown) {
      return `ours(${fn.call(this) as string})`;
    } as typeof fn);
    const theirs = (): string => 'theirs';
    target.run = theirs;
    restore();
    assert.equal(target.run, theirs);
  });
});
