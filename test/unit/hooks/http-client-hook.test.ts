import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import http, { get as namedGet, request as namedRequest } from 'node:http';
import https from 'node:https';
import * as httpNamespace from 'node:http';
import { HOOK_HTTP_CLIENT_REQUEST_CREATED, HTTP_CLIENT_REQUEST_CREATED } from '../../../src/hooks/channels.js';
import { disableHttpClientHook, enableHttpClientHook, needsRequestWrap, requestCreatedChannel } from '../../../src/hooks/http-client.js';

const originals = { httpRequest: http.request, httpGet: http.get, httpsRequest: https.request, httpsGet: https.get };

function nodeHasCreatedChannel(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 2) || (major === 22 && minor >= 12);
}

describe('http client hook', () => {
  test("uses Node's http.client.request.created where it exists, a wrap elsewhere", () => {
    assert.equal(needsRequestWrap, !nodeHasCreatedChannel());
    assert.equal(requestCreatedChannel, nodeHasCreatedChannel() ? HTTP_CLIENT_REQUEST_CREATED : HOOK_HTTP_CLIENT_REQUEST_CREATED);
  });

  test('the wrap announces each request before its headers are written, then restores the originals exactly', () => {
    const announced: { headersSent: boolean; request: http.ClientRequest }[] = [];
    const onCreated = (message: unknown): void => {
      const { request } = message as { request: http.ClientRequest };
      announced.push({ headersSent: request.headersSent, request });
    };
    dc.subscribe(requestCreatedChannel, onCreated);
    enableHttpClientHook();
    try {
      if (needsRequestWrap) {
        const pairs = [[http.request, originals.httpRequest], [http.get, originals.httpGet], [https.request, originals.httpsRequest], [https.get, originals.httpsGet]] as const;
        for (const [wrapped, original] of pairs) {
          assert.notEqual(wrapped, original);
          assert.equal(wrapped.name, original.name);
          assert.equal(wrapped.length, original.length);
        }
        assert.equal(namedRequest, http.request, 'ESM named imports see the wrap');
        assert.equal(namedGet, http.get);
        assert.equal(httpNamespace.get, http.get);
      }
      const agent = { addRequest: () => {}, protocol: 'http:', defaultPort: 80 } as unknown as http.Agent;
      const viaGet = http.get({ host: '127.0.0.1', port: 1, agent });
      const viaRequest = namedRequest('http://127.0.0.1:1/x', { agent });
      assert.throws(() => http.request('not a url'), { code: 'ERR_INVALID_URL' }, 'errors reach the caller unchanged');
      assert.deepEqual(announced.map((a) => [a.request, a.headersSent]), [[viaGet, false], [viaRequest, false]]);
      assert.equal(viaGet.writableEnded, true, 'get() still ends its request');
      assert.equal(viaRequest.writableEnded, false);
      viaGet.destroy();
      viaRequest.destroy();
    } finally {
      disableHttpClientHook();
      dc.unsubscribe(requestCreatedChannel, onCreated);
    }
    assert.equal(http.request, originals.httpRequest);
    assert.equal(http.get, originals.httpGet);
    assert.equal(https.request, originals.httpsRequest);
    assert.equal(https.get, originals.httpsGet);
    assert.equal(namedRequest, originals.httpRequest, 'ESM named imports see the originals again');
    assert.equal(namedGet, originals.httpGet);
  });
});
