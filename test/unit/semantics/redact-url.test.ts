import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { REDACTED, isSensitiveParam, redactPath, redactUrl } from '../../../src/semantics/redact-url.js';

// The obvious implementation, kept as the oracle: split, decode each name, rebuild.
function reference(path: string): string {
  const hash = path.indexOf('#');
  const withoutHash = hash === -1 ? path : path.slice(0, hash);
  const q = withoutHash.indexOf('?');
  if (q === -1) return withoutHash;
  const pairs = withoutHash.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq === -1) return pair;
    let name = pair.slice(0, eq);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // raw name
    }
    return isSensitiveParam(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
  });
  return `${withoutHash.slice(0, q)}?${pairs.join('&')}`;
}

test('redactPath: sensitive values replaced, everything else left byte for byte', () => {
  const cases: [string, string][] = [
    ['/', '/'],
    ['/search?q=1', '/search?q=1'],
    ['/search?q=1&token=abc', `/search?q=1&token=${REDACTED}`],
    ['/a?token=abc&q=1', `/a?token=${REDACTED}&q=1`],
    ['/a?PASSWORD=x&api_key=y&apikey=z&access_token=t', `/a?PASSWORD=${REDACTED}&api_key=${REDACTED}&apikey=${REDACTED}&access_token=${REDACTED}`],
    ['/s3?X-Amz-Signature=s&X-Amz-Credential=c&X-Amz-Security-Token=t&x=1', `/s3?X-Amz-Signature=${REDACTED}&X-Amz-Credential=${REDACTED}&X-Amz-Security-Token=${REDACTED}&x=1`],
    ['/a?my.secret=1&my-key=2&monkey=3', `/a?my.secret=${REDACTED}&my-key=${REDACTED}&monkey=3`],
    ['/a?%74oken=abc', `/a?%74oken=${REDACTED}`], // encoded name
    ['/a?api+key=1&api%5Fkey=2', `/a?api+key=1&api%5Fkey=${REDACTED}`],
    ['/a?%E0%A4%A=1&token=2', `/a?%E0%A4%A=1&token=${REDACTED}`], // malformed escape: raw name kept
    ['/a?token', '/a?token'], // no value to hide
    ['/a?token=', `/a?token=${REDACTED}`],
    ['/a?&&token=1&&', `/a?&&token=${REDACTED}&&`],
    ['/a?q=a=b&key=c=d', `/a?q=a=b&key=${REDACTED}`],
    ['/a?q=1#token=x', '/a?q=1'], // fragments never leave
    ['/a?', '/a?'],
  ];
  for (const [input, expected] of cases) {
    assert.equal(redactPath(input), expected, input);
    assert.equal(redactPath(input), reference(input), `oracle: ${input}`);
  }
});

test('redactPath agrees with the oracle on 5000 random queries', () => {
  const names = ['q', 'page', 'token', 'Key', 'id', 'sig', 'x-amz-signature', 'auth', 'monkey', '', 'a%20b', 'pass+word', '%ZZ', 'session', 'sessionid'];
  const values = ['', '1', 'abc', 'a=b', '%41'];
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 5000; i++) {
    const pairs: string[] = [];
    for (let k = next(6); k >= 0; k--) {
      const name = names[next(names.length)]!;
      pairs.push(next(5) === 0 ? name : `${name}=${values[next(values.length)]}`);
    }
    const path = `/p?${pairs.join('&')}`;
    assert.equal(redactPath(path), reference(path), path);
  }
});

test('a long query is redacted whole, wherever its one `=` is', () => {
  const names = Array.from({ length: 20_000 }, (_, i) => `n${i}`).join('&');
  assert.equal(redactPath(`/p?${names}&token=secret`), `/p?${names}&token=${REDACTED}`);
  assert.equal(redactPath(`/p?token=secret&${names}`), `/p?token=${REDACTED}&${names}`);
  assert.equal(redactPath(`/p?${names}`), `/p?${names}`);
});

test('redactUrl drops userinfo and redacts the query', () => {
  assert.equal(redactUrl('http://user:pw@example.com:8080/a?token=1&q=2'), `http://example.com:8080/a?token=${REDACTED}&q=2`);
  assert.equal(redactUrl('https://example.com?key=1'), `https://example.com?key=${REDACTED}`);
  assert.equal(redactUrl('http://[::1]:3000/x'), 'http://[::1]:3000/x');
});
