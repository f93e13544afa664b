import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { portOf } from '../../../src/plugins/http-client.js';

// The first version, kept as an oracle: the same answers by another route (lastIndexOf, slice,
// Number), except that it let Number read `1.`, ` 80` or `0x50` as ports: digits only, here.
function portOfBySlicing(hostHeader: string, hostname: string, fallback: number): number {
  const colon = hostHeader.lastIndexOf(':');
  const hasPort = colon !== -1 && colon > hostHeader.lastIndexOf(']');
  let host = hasPort ? hostHeader.slice(0, colon) : hostHeader;
  if (host.charCodeAt(0) === 91) host = host.slice(1, -1);
  if (host !== hostname && host.toLowerCase() !== hostname.toLowerCase()) return fallback;
  if (!hasPort) return fallback;
  const digits = hostHeader.slice(colon + 1);
  const port = /^[0-9]+$/.test(digits) ? Number(digits) : NaN;
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : fallback;
}

describe('the port of a Host header', () => {
  test('Node\'s forms, other hosts, and what is no port', () => {
    const cases: [string, string, number][] = [
      ['h', 'h', 80],
      ['h:8080', 'h', 8080],
      ['H.Example:8080', 'h.example', 8080],
      ['h:0080', 'h', 80],
      ['[::1]:9', '::1', 9],
      ['[::1]', '::1', 80],
      ['[::1]:9', '::2', 80],
      ['other:8080', 'h', 80],
      ['hh:8080', 'h', 80],
      ['h:', 'h', 80],
      ['h:0', 'h', 80],
      ['h:65535', 'h', 65535],
      ['h:65536', 'h', 80],
      ['h:8o80', 'h', 80],
      ['h:0x50', 'h', 80],
      ['h:80.', 'h', 80],
      ['::1', '::1', 80],
      [':8080', 'h', 80],
      ['', 'h', 80],
    ];
    for (const [header, hostname, port] of cases) {
      assert.equal(portOf(header, hostname, 80), port, `${header} for ${hostname}`);
      assert.equal(portOfBySlicing(header, hostname, 80), port, `oracle: ${header} for ${hostname}`);
    }
  });

  test('agrees with the slicing version on random headers', () => {
    const pieces = ['h', 'H', 'x', ':', '[', ']', '::1', '0', '1', '9', '65', '535', '8080', '.'];
    let state = 7;
    const next = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % n;
    };
    const junk = (): string => {
      let text = '';
      for (let k = next(4); k >= 0; k--) text += pieces[next(pieces.length)];
      return text;
    };
    let withPort = 0;
    for (let i = 0; i < 20_000; i++) {
      const hostname = ['h', 'x', '::1', 'h:1', 'a.B', ''][next(6)]!;
      const host = [hostname, hostname.toUpperCase(), `[${hostname}]`, `[${hostname}`, junk()][next(5)]!;
      let digits = '';
      for (let k = next(7); k > 0; k--) digits += String(next(10));
      const header = host + ['', ':', `:${digits}`, `:${digits}`, junk()][next(5)]!;
      const expected = portOfBySlicing(header, hostname, 443);
      if (expected !== 443) withPort++;
      assert.equal(portOf(header, hostname, 443), expected, `${JSON.stringify(header)} for ${hostname}`);
    }
    assert.ok(withPort > 2000, `only ${withPort} random headers named the host with a port`);
  });
});
