import { afterEach, before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createTestTracer } from '../../../src/testing/index.js';
import { clientHooks, installAllPatches, uninstallAllPatches } from '../../../src/plugins/install.js';
import { setGlobalTracer } from '../../../src/tracer/global.js';
import type { Tracer } from '../../../src/tracer/tracer.js';
import { headerValues, startHttpServer } from '../../integration/http-client-servers.js';
import type { TestServer } from '../../integration/http-client-servers.js';

const CLIENTS = ['http-client', 'fetch', 'undici'];
let server: TestServer;

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(`${server.origin}${path}`, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

before(async () => {
  server = await startHttpServer();
});
after(() => server.close());
afterEach(() => uninstallAllPatches());

describe('installAllPatches', () => {
  test('lists what it enabled; include and exclude pick integrations', () => {
    for (const name of CLIENTS) assert.ok(clientHooks.available().includes(name));
    assert.deepEqual(installAllPatches({ include: ['fetch', 'undici'], exclude: ['undici'] }), ['fetch']);
    assert.deepEqual(clientHooks.installed(), ['fetch']);
    uninstallAllPatches();
    const all = installAllPatches({ exclude: ['fetch'] });
    assert.ok(all.includes('http-client') && all.includes('undici') && !all.includes('fetch'));
  });

  test('calling it twice changes nothing: still one span per request', async () => {
    const { tracer, finishedSpans } = createTestTracer();
    const first = installAllPatches({ tracer, include: ['http-client'] });
    const second = installAllPatches({ tracer, include: ['http-client'] });
    assert.deepEqual(first, second);
    await get('/ok');
    await settle();
    assert.equal(finishedSpans().length, 1);
    assert.equal(headerValues(server.seen.at(-1)!, 'traceparent').length, 1);
  });

  test('programmer errors throw a TypeError naming the option, before anything changes', () => {
    assert.throws(() => installAllPatches({ include: ['htttp'] }), { name: 'TypeError', message: /include: unknown integration "htttp"/ });
    assert.throws(() => installAllPatches({ exclude: 'fetch' as unknown as string[] }), { name: 'TypeError', message: /exclude/ });
    assert.throws(() => installAllPatches({ ignoreUrls: [42 as unknown as string] }), { name: 'TypeError', message: /ignoreUrls/ });
    assert.throws(() => installAllPatches({ errorOn4xx: 'yes' as unknown as boolean }), { name: 'TypeError', message: /errorOn4xx/ });
    assert.throws(() => installAllPatches({ tracer: {} as Tracer }), { name: 'TypeError', message: /tracer/ });
    assert.throws(() => clientHooks.install('nope'), { name: 'TypeError' });
    assert.deepEqual(clientHooks.installed(), []);
  });

  test('clientHooks: install and uninstall one integration', async () => {
    const { tracer, finishedSpans } = createTestTracer();
    assert.equal(clientHooks.install('http-client', { tracer }), true);
    assert.deepEqual(clientHooks.installed(), ['http-client']);
    await get('/ok');
    await settle();
    assert.equal(finishedSpans().length, 1);
    clientHooks.uninstall('http-client');
    assert.deepEqual(clientHooks.installed(), []);
    await get('/ok');
    await settle();
    assert.equal(finishedSpans().length, 1);
    assert.equal(clientHooks.installAllPatches, installAllPatches);
    assert.equal(clientHooks.uninstallAllPatches, uninstallAllPatches);
  });

  test('without a tracer option, the global tracer of the moment is used; none means nothing is done', async () => {
    installAllPatches({ include: ['http-client'] });
    server.seen.length = 0;
    await get('/ok');
    assert.deepEqual(headerValues(server.seen[0]!, 'traceparent'), [], 'no tracer yet: untouched');
    const { tracer, finishedSpans } = createTestTracer();
    setGlobalTracer(tracer);
    await get('/ok');
    await settle();
    assert.equal(finishedSpans().length, 1);
    assert.equal(headerValues(server.seen[1]!, 'traceparent').length, 1);
  });
});

describe('never hurting the host app', () => {
  test('a plugin that throws is switched off, reported once, and the request goes on unchanged', async () => {
    const errors: string[] = [];
    const { tracer, finishedSpans } = createTestTracer({}, { logger: { warn: (m) => errors.push(m), error: (m) => errors.push(m) } });
    const originalStart = tracer.startSpan.bind(tracer);
    let calls = 0;
    tracer.startSpan = ((...args: Parameters<Tracer['startSpan']>) => {
      calls++;
      if (calls === 1) throw new Error('plugin bug');
      return originalStart(...args);
    }) as Tracer['startSpan'];
    installAllPatches({ tracer, include: ['http-client'] });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      assert.deepEqual(await get('/ok'), { status: 200, body: 'ok' });
      await settle();
      assert.deepEqual(clientHooks.installed(), [], 'switched off');
      assert.deepEqual(await get('/ok'), { status: 200, body: 'ok' });
      await settle();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    assert.deepEqual(uncaught, []);
    assert.equal(calls, 1, 'no span attempted after the fault');
    assert.equal(finishedSpans().length, 0);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /http-client.*switched off.*plugin bug/);
    assert.equal(tracer.stats().instrumentationFaults, 1);
  });

  test('the same for fetch: a throwing subscriber of undici\'s channels never reaches the app', async () => {
    const { tracer } = createTestTracer({}, { logger: { warn: () => {}, error: () => {} } });
    tracer.startSpan = (() => {
      throw new Error('plugin bug');
    }) as Tracer['startSpan'];
    installAllPatches({ tracer, include: ['fetch'] });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      const res = await fetch(`${server.origin}/ok`);
      assert.equal(await res.text(), 'ok');
      await settle();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    assert.deepEqual(uncaught, []);
    assert.deepEqual(clientHooks.installed(), []);
    assert.equal(tracer.stats().instrumentationFaults, 1);
  });

  test('after a fault, installAllPatches leaves it off; clientHooks.install turns it back on', async () => {
    const { tracer } = createTestTracer({}, { logger: { warn: () => {}, error: () => {} } });
    const start = tracer.startSpan.bind(tracer);
    let failing = true;
    tracer.startSpan = ((...args: Parameters<Tracer['startSpan']>) => {
      if (failing) throw new Error('plugin bug');
      return start(...args);
    }) as Tracer['startSpan'];
    installAllPatches({ tracer, include: ['http-client'] });
    await get('/ok');
    assert.deepEqual(installAllPatches({ tracer, include: ['http-client'] }), []);
    failing = false;
    assert.equal(clientHooks.install('http-client'), true);
    assert.deepEqual(clientHooks.installed(), ['http-client']);
  });
});
