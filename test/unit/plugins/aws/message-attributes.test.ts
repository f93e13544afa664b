import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_MESSAGE_ATTRIBUTES, askForTraceAttributes, injectTraceAttributes, stripAdded, traceHeadersOfMessage, withTraceAttributes } from '../../../../src/plugins/aws/message-attributes.js';

const HEADERS = ['traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'uber-trace-id', '0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:1'];
const attributes = (n: number): Record<string, { DataType: string; StringValue: string }> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: `${i}` }]));

describe('trace context in SQS/SNS message attributes', () => {
  test('adds one String attribute per header; null when over the limit of 10', () => {
    assert.deepEqual(withTraceAttributes(undefined, HEADERS), {
      traceparent: { DataType: 'String', StringValue: HEADERS[1] },
      'uber-trace-id': { DataType: 'String', StringValue: HEADERS[3] },
    });
    assert.equal(Object.keys(withTraceAttributes(attributes(8), HEADERS)!).length, MAX_MESSAGE_ATTRIBUTES);
    assert.equal(withTraceAttributes(attributes(9), HEADERS), null);
    // a header the user already set is replaced, not counted twice
    assert.equal(Object.keys(withTraceAttributes({ ...attributes(8), traceparent: { DataType: 'String', StringValue: 'old' } }, HEADERS)!).length, 10);
  });

  test('SendMessage and Publish: a copy of the input; the user\'s objects untouched', () => {
    const input = Object.freeze({ QueueUrl: 'q', MessageBody: 'b', MessageAttributes: Object.freeze({ color: { DataType: 'String', StringValue: 'red' } }) });
    const { input: sent, skipped } = injectTraceAttributes('SQS', 'SendMessage', input, HEADERS);
    assert.equal(skipped, 0);
    assert.deepEqual(Object.keys(sent!.MessageAttributes as object), ['color', 'traceparent', 'uber-trace-id']);
    assert.equal(sent!.MessageBody, 'b');
    assert.deepEqual(Object.keys(input.MessageAttributes), ['color']);
    assert.ok(injectTraceAttributes('SNS', 'Publish', { TopicArn: 't', Message: 'm' }, HEADERS).input !== null);
    assert.deepEqual(injectTraceAttributes('SQS', 'SendMessage', { MessageAttributes: attributes(10) }, HEADERS), { input: null, skipped: 1 });
  });

  test('batches: each entry; full entries unchanged and counted', () => {
    const { input, skipped } = injectTraceAttributes('SQS', 'SendMessageBatch', { Entries: [{ Id: '1' }, { Id: '2', MessageAttributes: attributes(10) }] }, HEADERS);
    assert.equal(skipped, 1);
    const entries = input!.Entries as { MessageAttributes?: object }[];
    assert.ok('traceparent' in entries[0]!.MessageAttributes!);
    assert.deepEqual(entries[1]!.MessageAttributes, attributes(10));
    const sns = injectTraceAttributes('SNS', 'PublishBatch', { PublishBatchRequestEntries: [{ Id: '1', Message: 'x' }] }, HEADERS);
    assert.ok('uber-trace-id' in ((sns.input!.PublishBatchRequestEntries as { MessageAttributes: object }[])[0]!.MessageAttributes));
    assert.deepEqual(injectTraceAttributes('SQS', 'DeleteMessage', { QueueUrl: 'q' }, HEADERS), { input: null, skipped: 0 });
  });

  test('ReceiveMessage: asks for what the user did not; `All`, `.*` and prefixes count as asked', () => {
    const request = askForTraceAttributes({ QueueUrl: 'q', MessageAttributeNames: ['color'] }, ['traceparent', 'uber-trace-id'])!;
    assert.deepEqual(request.input.MessageAttributeNames, ['color', 'traceparent', 'uber-trace-id']);
    assert.deepEqual(request.added, ['traceparent', 'uber-trace-id']);
    assert.equal(askForTraceAttributes({ MessageAttributeNames: ['All'] }, ['traceparent']), null);
    assert.equal(askForTraceAttributes({ MessageAttributeNames: ['.*'] }, ['traceparent']), null);
    assert.deepEqual(askForTraceAttributes({ MessageAttributeNames: ['trace.*'] }, ['traceparent', 'uber-trace-id'])!.added, ['uber-trace-id']);
  });

  test('stripAdded takes back exactly what was added', () => {
    const request = askForTraceAttributes({ MessageAttributeNames: ['color'] }, ['traceparent'])!;
    const message: Record<string, unknown> = { MessageAttributes: { color: {}, traceparent: {} }, MD5OfMessageAttributes: 'x' };
    stripAdded(message, request);
    assert.deepEqual(message, { MessageAttributes: { color: {} }, MD5OfMessageAttributes: 'x' });
    const none = askForTraceAttributes({}, ['traceparent'])!;
    const bare: Record<string, unknown> = { Body: 'b', MessageAttributes: { traceparent: {} }, MD5OfMessageAttributes: 'x' };
    stripAdded(bare, none);
    assert.deepEqual(bare, { Body: 'b' });
  });

  test('reads trace headers from attributes or from an SNS notification body', () => {
    assert.deepEqual(traceHeadersOfMessage({ MessageAttributes: { TraceParent: { DataType: 'String', StringValue: 'v' }, n: { DataType: 'Number' } } }), { traceparent: 'v' });
    assert.deepEqual(traceHeadersOfMessage({ Body: JSON.stringify({ Type: 'Notification', MessageAttributes: { traceparent: { Type: 'String', Value: 'w' } } }) }), { traceparent: 'w' });
    assert.equal(traceHeadersOfMessage({ Body: '{"MessageAttributes": broken' }), null);
    assert.equal(traceHeadersOfMessage(null), null);
  });
});
