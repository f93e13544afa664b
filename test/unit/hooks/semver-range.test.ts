import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVersion, satisfies } from '../../../src/hooks/semver-range.js';

describe('semver ranges', () => {
  const cases: [version: string, range: string, expected: boolean][] = [
    ['4.21.2', '>=4 <5', true], ['5.1.0', '>=4 <5', false], ['3.9.9', '>=4 <5', false],
    ['5.0.0-beta.1', '<5', false], ['3.20.0', '>=3.20.0', true], ['3.19.9', '>=3.20.0', false],
    ['2.18.1', '^2.18.0', true], ['3.0.0', '^2.18.0', false], ['2.17.9', '^2.18.0', false],
    ['0.2.5', '^0.2.3', true], ['0.3.0', '^0.2.3', false], ['0.0.3', '^0.0.3', true], ['0.0.4', '^0.0.3', false],
    ['4.17.1', '4.x', true], ['5.0.0', '4.x', false], ['4.17.1', '4', true], ['4.17.1', '4.17.x', true], ['4.18.0', '4.17.x', false],
    ['1.2.3', '*', true], ['1.2.3', '', true], ['2.1.0', '~2.1', true], ['2.2.0', '~2.1', false],
    ['2.1.9', '~2.1.3', true], ['2.1.2', '~2.1.3', false], ['2.2.0', '~2.1.3', false],
    ['3.1.0', '^2 || ^3', true], ['1.0.0', '^2 || ^3', false], ['5.0.0', '>4', true], ['4.9.9', '>4', false],
    ['4.0.1', '>4.0.0', true], ['4.0.0', '>4.0.0', false], ['4.5.0', '<=4', true], ['5.0.0', '<=4', false],
    ['2.0.0', '>= 2.0.0', true], ['1.2.3', '=1.2.3', true], ['1.2.4', '1.2.3', false], ['v1.2.3', '1.2.3', true],
  ];
  test('comparators, caret, tilde, x-ranges, and, or', () => {
    for (const [version, range, expected] of cases) assert.equal(satisfies(version, range), expected, `${version} in "${range}"`);
  });
  test('what cannot be parsed matches nothing', () => {
    assert.equal(satisfies('1.0.0', 'garbage'), false);
    assert.equal(satisfies('not a version', '*'), false);
    assert.deepEqual(parseVersion('10.2.33-rc.1+build'), [10, 2, 33]);
    assert.equal(parseVersion('x'), null);
  });
});
