import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { createTestTracer } from '../../../src/testing/index.js';
import { AbstractRequestWrapper, TRACE_HEADER_NAMES, afterResponse, beforeRequest } from '../../../src/server/index.js';

class FakeRequest extends AbstractRequestWrapper {
  constructor(private readonly headerMap: Record<string, string>, private readonly path = '/orders/9?token=x') {
    super();
  }
  get method(): string {
    return 'POST';
  }
  get fullUrl(): string {
    return this.path;
  }
  header(name: string): string | undefined {
    return this.headerMap[name.toLowerCase()];
  }
  get remoteIp(): string | undefined {
    return '2001:db8::7';
  }
  get remotePort(): number | undefined {
    return 5000;
  }
  get serverPort(): number | undefined {
    return 8080;
  }
}

const { tracer, finishedSpans, reset } = createTestTracer();

describe('AbstractRequestWrapper defaults', () => {
  test('operation is the method; callerName the first configured header present', () => {
    const request = new FakeRequest({ 'x-source': 'cart', 'x-other': 'no' });
    assert.equal(request.operation, 'POST');
    assert.equal(request.callerName, undefined);
    request.callerNameHeaders = ['X-Missing', 'X-Source', 'x-other'];
    assert.equal(request.callerName, 'cart');
  });

  test('headers() asks for every trace header by name', () => {
    const asked: string[] = [];
    class Recording extends FakeRequest {
      override header(name: string): string | undefined {
        asked.push(name);
        return name === 'traceparent' ? 'tp' : undefined;
      }
    }
    assert.deepEqual(new Recording({}).headers(), { traceparent: 'tp' });
    assert.deepEqual(asked, [...TRACE_HEADER_NAMES]);
  });
});

describe('beforeRequest / afterResponse', () => {
  test('continues the trace of an uber-trace-id, with the server tags', () => {
    reset();
    const parent = tracer.startSpan('caller');
    const carrier: Record<string, string> = {};
    tracer.inject(parent.context(), FORMAT_HTTP_HEADERS, carrier);
    const request = new FakeRequest({ 'uber-trace-id': carrier['uber-trace-id']!, 'x-source': 'cart' });
    request.callerNameHeaders = ['x-source'];
    const span = beforeRequest(request, tracer);
    tracer.withSpan(span, () => tracer.startSpan('inner').finish());
    afterResponse(span, 201);
    afterResponse(span, 500, new Error('too late'));
    const [inner, server] = finishedSpans();
    assert.equal(server!.traceId, parent.context().toTraceId());
    assert.equal(server!.parentSpanId, parent.context().toSpanId());
    assert.equal(inner!.parentSpanId, server!.spanId);
    assert.deepEqual(server!.tags, {
      'span.kind': 'server', component: 'custom-server', 'http.method': 'POST', 'http.url': '/orders/9?token=REDACTED',
      'peer.ipv6': '2001:db8::7', 'peer.port': 5000, 'peer.service': 'cart', 'http.status_code': 201,
    });
  });

  test('afterResponse records the error it is given and marks 5xx', () => {
    reset();
    const span = beforeRequest(new FakeRequest({}), tracer);
    afterResponse(span, 502, new Error('bad gateway'));
    const [record] = finishedSpans();
    assert.equal(record!.tags.error, true);
    assert.equal(record!.logs[0]!.fields.message, 'bad gateway');
  });

  test('a wrapper whose getters throw still gets a span, and nothing throws', () => {
    reset();
    class Broken extends FakeRequest {
      override get method(): string {
        throw new Error('no method');
      }
    }
    const span = beforeRequest(new Broken({}), tracer);
    afterResponse(span, 200);
    assert.equal(finishedSpans()[0]!.operationName, 'request');
  });

  test('with no tracer at all: a span that records nothing', () => {
    const span = beforeRequest(new FakeRequest({}));
    assert.equal(span.isRecording, false);
    afterResponse(span, 200);
  });
});
