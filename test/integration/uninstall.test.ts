import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import http, { get as namedGet, request as namedRequest } from 'node:http';
import https from 'node:https';
import * as undici from 'undici';
import { createTestTracer } from '../../src/testing/index.js';
import { installAllPatches, uninstallAllPatches, clientHooks } from '../../src/plugins/install.js';
import * as channels from '../../src/hooks/channels.js';
import { requestCreatedChannel } from '../../src/hooks/http-client.js';
import { selfSignedCertificate } from '../support/https-cert.js';
import { headerValues, startHttpServer, startHttpsServer } from './http-client-servers.js';
import type { TestServer } from './http-client-servers.js';

const originals = { httpRequest: http.request, httpGet: http.get, httpsRequest: https.request, httpsGet: https.get };
const { tracer, finishedSpans, reset } = createTestTracer();
let server: TestServer;
let secure: TestServer;

function drain(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    req.on('response', (res: http.IncomingMessage) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
}

async function everyKindOfRequest(): Promise<void> {
  const { cert } = selfSignedCertificate();
  await drain(http.get(`${server.origin}/ok`));
  await drain(namedRequest(`${server.origin}/ok`).end() as http.ClientRequest);
  await drain(https.get(`${secure.origin}/ok`, { ca: cert }));
  await (await fetch(`${server.origin}/ok`)).text();
  await (await undici.request(`${server.origin}/ok`)).body.text();
  await (await undici.fetch(`${server.origin}/ok`)).text();
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const observed = [
  requestCreatedChannel, channels.HTTP_CLIENT_REQUEST_ERROR,
  channels.UNDICI_REQUEST_CREATE, channels.UNDICI_REQUEST_HEADERS, channels.UNDICI_REQUEST_TRAILERS, channels.UNDICI_REQUEST_ERROR,
];

before(async () => {
  server = await startHttpServer();
  secure = await startHttpsServer();
});

after(async () => {
  await server.close();
  await secure.close();
});

describe('uninstallAllPatches', () => {
  test('restores every function and channel; afterwards nothing is traced or injected', async () => {
    assert.deepEqual(installAllPatches({ tracer, include: ['http-client', 'fetch', 'undici'] }), ['http-client', 'fetch', 'undici']);
    await everyKindOfRequest();
    assert.equal(finishedSpans().length, 6);
    assert.deepEqual(finishedSpans().map((s) => s.tags.component), ['node-http', 'node-http', 'node-http', 'fetch', 'undici', 'fetch']);
    for (const name of observed) assert.equal(dc.hasSubscribers(name), true, name);

    uninstallAllPatches();
    assert.deepEqual(clientHooks.installed(), []);
    assert.equal(http.request, originals.httpRequest);
    assert.equal(http.get, originals.httpGet);
    assert.equal(https.request, originals.httpsRequest);
    assert.equal(https.get, originals.httpsGet);
    assert.equal(namedRequest, originals.httpRequest);
    assert.equal(namedGet, originals.httpGet);
    for (const name of observed) assert.equal(dc.hasSubscribers(name), false, name);

    reset();
    server.seen.length = 0;
    secure.seen.length = 0;
    await everyKindOfRequest();
    assert.equal(finishedSpans().length, 0);
    for (const request of [...server.seen, ...secure.seen]) {
      assert.deepEqual(headerValues(request, 'traceparent'), []);
      assert.deepEqual(headerValues(request, 'uber-trace-id'), []);
    }
    assert.equal(server.seen.length + secure.seen.length, 6);
  });

  test('install after uninstall works again', async () => {
    installAllPatches({ tracer, include: ['http-client', 'fetch', 'undici'] });
    reset();
    await everyKindOfRequest();
    assert.equal(finishedSpans().length, 6);
    uninstallAllPatches();
  });
});
