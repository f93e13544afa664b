// The node:http server hook and plugin without a network: requests dispatched by hand.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { Socket } from 'node:net';
import { createTestTracer } from '../../../src/testing/index.js';
import { httpServerIntegration } from '../../../src/plugins/http-server.js';
import { serverSpanOf } from '../../../src/semantics/server-span.js';
import { spanStore } from '../../../src/tracer/active-context.js';

const { tracer, finishedSpans } = createTestTracer();
const faults: unknown[] = [];

before(() => {
  httpServerIntegration.enable({
    options: { ignoreUrls: [], ignorePaths: [], errorOn4xx: false, callerNameHeaders: [], recordSqlValues: false, recordS3Keys: false },
    tracer: () => tracer,
    fault: (_name, error) => faults.push(error),
  });
});
after(() => {
  httpServerIntegration.disable();
  assert.deepEqual(faults, []);
});

function exchange(url: string): { req: http.IncomingMessage; res: http.ServerResponse } {
  const req = new http.IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = url;
  return { req, res: new http.ServerResponse(req) };
}

describe('the request hook', () => {
  test('a listener that throws: the error passes through unchanged and is recorded on the span', () => {
    const server = http.createServer(() => {
      throw new TypeError('listener failed');
    });
    const { req, res } = exchange('/boom');
    assert.throws(() => server.emit('request', req, res), { name: 'TypeError', message: 'listener failed' });
    const span = serverSpanOf(req)!;
    assert.equal(span.getTag('error'), true);
    assert.equal(span.logs?.[0]?.fields.message, 'listener failed');
    assert.equal(spanStore.getStore(), undefined, 'no span leaks into the caller');
  });

  test('emit returns what the original returns; other events and emitters pass through', () => {
    const server = http.createServer();
    const { req, res } = exchange('/none');
    assert.equal(server.emit('request', req, res), false);
    server.on('request', () => {});
    const second = exchange('/one');
    assert.equal(server.emit('request', second.req, second.res), true);
    assert.equal(server.emit('some-other-event'), false);
    assert.equal(server.emit('request', { url: '/not-a-message' }, {}), true);
    assert.equal(serverSpanOf(second.req)?.operationName, 'GET');
  });

  test('a request dispatched twice (checkContinue → request) keeps its one span', () => {
    const server = http.createServer();
    const spans: unknown[] = [];
    server.on('checkContinue', (req, res) => {
      spans.push(spanStore.getStore());
      server.emit('request', req, res);
    });
    server.on('request', () => spans.push(spanStore.getStore()));
    const { req, res } = exchange('/upload');
    server.emit('checkContinue', req, res);
    assert.equal(spans.length, 2);
    assert.equal(spans[0], spans[1]);
    assert.equal(spans[0], serverSpanOf(req));
    assert.equal(finishedSpans().length, 0);
  });
});
