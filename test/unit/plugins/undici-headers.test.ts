import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFetchRequest, setRequestHeader } from '../../../src/plugins/undici-headers.js';
import type { UndiciRequest } from '../../../src/plugins/undici-headers.js';

function request(headers: unknown): UndiciRequest {
  return { origin: 'http://127.0.0.1:1', path: '/', method: 'GET', headers };
}

describe('setRequestHeader (undici 6+: flat array)', () => {
  test('adds a header that is not there', () => {
    const req = request(['accept', '*/*']);
    setRequestHeader(req, 'traceparent', 'tp');
    assert.deepEqual(req.headers, ['accept', '*/*', 'traceparent', 'tp']);
  });

  test('replaces one set in any case, and drops further copies', () => {
    const req = request(['TraceParent', 'a', 'accept', '*/*', 'traceparent', 'b', 'x', '1']);
    setRequestHeader(req, 'traceparent', 'tp');
    assert.deepEqual(req.headers, ['TraceParent', 'tp', 'accept', '*/*', 'x', '1']);
  });

  test('leaves headers whose names only start alike', () => {
    const req = request(['traceparent-x', 'a']);
    setRequestHeader(req, 'traceparent', 'tp');
    assert.deepEqual(req.headers, ['traceparent-x', 'a', 'traceparent', 'tp']);
  });
});

describe('setRequestHeader (undici 5: one string)', () => {
  test('adds, replaces and de-duplicates', () => {
    const req = request('accept: */*\r\nTraceparent: a\r\nx-y: 1\r\ntraceparent:b\r\n');
    setRequestHeader(req, 'traceparent', 'tp');
    assert.equal(req.headers, 'accept: */*\r\nx-y: 1\r\ntraceparent: tp\r\n');
    const empty = request('');
    setRequestHeader(empty, 'uber-trace-id', 'u');
    assert.equal(empty.headers, 'uber-trace-id: u\r\n');
  });
});

describe('isFetchRequest', () => {
  test('fetch always sends sec-fetch-mode; the dispatcher API does not', () => {
    assert.equal(isFetchRequest(request(['accept', '*/*', 'sec-fetch-mode', 'cors'])), true);
    assert.equal(isFetchRequest(request('accept: */*\r\nsec-fetch-mode: cors\r\n')), true);
    assert.equal(isFetchRequest(request(['accept', '*/*'])), false);
    assert.equal(isFetchRequest(request(null)), false);
  });
});
