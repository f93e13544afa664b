// SQS and SNS carry the trace in message attributes, against the small SQS (JSON protocol) and
// SNS (query protocol) test servers in test/support, with the newest SDK clients and sqs-consumer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { createTestTracer } from '../../src/testing/index.js';
import { installAllPatches, uninstallAllPatches } from '../../src/plugins/install.js';
import { sqsMessageContext } from '../../src/plugins/aws/message-context.js';
import { startSqsServer } from '../support/sqs-server.js';
import type { SqsServer } from '../support/sqs-server.js';
import { startSnsServer } from '../support/sns-server.js';
import type { SnsServer } from '../support/sns-server.js';
import { childrenOf, clientConfig, only, waitFor } from './aws-support.js';

const { tracer, finishedSpans, reset } = createTestTracer();
let sqsServer: SqsServer;
let snsServer: SnsServer;
let sqs: SQSClient;
let sns: SNSClient;
let queueUrl: string;
// Loaded once the patches are on, as an app started with the preload does (an ES module already
// loaded cannot be patched). Required, not imported: right after installAllPatches() a dynamic
// import can reach the off-thread import hook before it has heard of sqs-consumer (see the note
// of issue 16); require hooks are synchronous.
let Consumer: typeof import('sqs-consumer').Consumer;

const TRACE_NAMES = ['traceparent', 'uber-trace-id'];

function tenAttributes(): Record<string, { DataType: string; StringValue: string }> {
  return Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: String(i) }]));
}

async function drain(): Promise<void> {
  for (const queue of sqsServer.queues.values()) queue.length = 0;
}

before(async () => {
  [sqsServer, snsServer] = await Promise.all([startSqsServer(), startSnsServer()]);
  assert.deepEqual(installAllPatches({ tracer, include: ['http-client', 'aws-sdk', 'sqs-consumer'] }).sort(), ['aws-sdk', 'http-client', 'sqs-consumer']);
  ({ Consumer } = createRequire(import.meta.url)('sqs-consumer') as typeof import('sqs-consumer'));
  sqs = new SQSClient(clientConfig(sqsServer.endpoint));
  sns = new SNSClient(clientConfig(snsServer.endpoint));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl!;
});

after(async () => {
  uninstallAllPatches();
  sqs.destroy();
  sns.destroy();
  await Promise.all([sqsServer.close(), snsServer.close()]);
});

describe('SQS propagation', () => {
  test('SendMessage: trace attributes of the SendMessage span beside the user\'s, the user\'s input untouched', async () => {
    reset();
    await drain();
    const input = { QueueUrl: queueUrl, MessageBody: 'hello', MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' } } };
    const copy = structuredClone(input);
    await sqs.send(new SendMessageCommand(input));
    assert.deepEqual(input, copy);
    const span = only(finishedSpans(), 'SQS.SendMessage');
    assert.equal(span.tags['aws.sqs.queue_name'], 'orders');
    assert.equal(span.tags['aws.sqs.queue_url'], queueUrl);
    const stored = sqsServer.queues.get('orders')![0]!;
    assert.deepEqual(Object.keys(stored.MessageAttributes!).sort(), ['color', ...TRACE_NAMES].sort());
    assert.equal(stored.MessageAttributes!.traceparent!.StringValue, `00-${span.traceId}-${span.spanId}-01`);
    assert.equal(stored.MessageAttributes!.traceparent!.DataType, 'String');
  });

  test('SendMessageBatch: each entry carries the trace; an entry with 10 attributes goes unchanged and is counted', async () => {
    reset();
    await drain();
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'full', MessageAttributes: tenAttributes() }] }));
    const span = only(finishedSpans(), 'SQS.SendMessageBatch');
    assert.equal(span.tags['aws.messaging.propagation_skipped'], 1);
    const [one, full] = sqsServer.queues.get('orders')!;
    assert.deepEqual(Object.keys(one!.MessageAttributes!).sort(), TRACE_NAMES);
    assert.deepEqual(Object.keys(full!.MessageAttributes!), Object.keys(tenAttributes()));
  });

  test('ReceiveMessage asks for the trace attributes, gives back only what the user asked for, and remembers each message\'s context', async () => {
    reset();
    await drain();
    await tracer.startActiveSpan('producer', () => sqs.send(new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: [1, 2, 3].map((n) => ({ Id: `m${n}`, MessageBody: `body ${n}`, MessageAttributes: { color: { DataType: 'String', StringValue: `c${n}` } } })),
    })));
    const send = only(finishedSpans(), 'SQS.SendMessageBatch');

    const plainInput = { QueueUrl: queueUrl, MaxNumberOfMessages: 1 };
    const plain = await sqs.send(new ReceiveMessageCommand(plainInput));
    assert.deepEqual(plainInput, { QueueUrl: queueUrl, MaxNumberOfMessages: 1 });
    assert.deepEqual([...(sqsServer.requests.at(-1)!.body.MessageAttributeNames as string[])].sort(), TRACE_NAMES, 'asked on the user\'s behalf');
    assert.equal(plain.Messages!.length, 1);
    assert.equal(plain.Messages![0]!.MessageAttributes, undefined, 'nothing the user did not ask for');

    const colored = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['color'] }));
    assert.deepEqual(Object.keys(colored.Messages![0]!.MessageAttributes!), ['color']);

    const all = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['All'] }));
    assert.deepEqual(Object.keys(all.Messages![0]!.MessageAttributes!).sort(), ['color', ...TRACE_NAMES].sort());
    assert.deepEqual(sqsServer.requests.at(-1)!.body.MessageAttributeNames, ['All']);

    for (const message of [plain, colored, all].map((r) => r.Messages![0]!)) {
      const context = sqsMessageContext(message);
      assert.ok(context !== null);
      assert.equal(context.toTraceId(), send.traceId);
      assert.equal(context.toSpanId(), send.spanId);
    }
    assert.equal(sqsMessageContext({ Body: 'no trace' }), null);
  });

  test('a message received by an untraced client still yields its context when the user asked for the attributes', async () => {
    reset();
    await drain();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
    const send = only(finishedSpans(), 'SQS.SendMessage');
    const stored = sqsServer.queues.get('orders')![0]!;
    const message = { Body: stored.Body, MessageAttributes: stored.MessageAttributes };
    assert.equal(sqsMessageContext(message, tracer)?.toSpanId(), send.spanId);
    const viaSns: Message = { Body: JSON.stringify({ Type: 'Notification', Message: 'x', MessageAttributes: { traceparent: { Type: 'String', Value: stored.MessageAttributes!.traceparent!.StringValue } } }) };
    assert.equal(sqsMessageContext(viaSns, tracer)?.toSpanId(), send.spanId, 'an SNS notification delivered to SQS');
  });
});

describe('SNS propagation', () => {
  test('Publish and PublishBatch carry the trace of their span in each message\'s attributes', async () => {
    reset();
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'shipments' }))).TopicArn!;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'one', MessageAttributes: { kind: { DataType: 'String', StringValue: 'k' } } }));
    await sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: '1', Message: 'two' }, { Id: '2', Message: 'three' }] }));
    const publish = only(finishedSpans(), 'SNS.Publish');
    const batch = only(finishedSpans(), 'SNS.PublishBatch');
    assert.equal(publish.tags['aws.sns.topic_arn'], topicArn);
    assert.equal(publish.tags['message_bus.destination'], 'shipments');
    const [one, two, three] = snsServer.published;
    assert.deepEqual(Object.keys(one!.attributes).sort(), ['kind', ...TRACE_NAMES].sort());
    assert.equal(one!.attributes.traceparent!.StringValue, `00-${publish.traceId}-${publish.spanId}-01`);
    for (const message of [two!, three!]) assert.equal(message.attributes.traceparent!.StringValue, `00-${batch.traceId}-${batch.spanId}-01`);
  });
});

describe('sqs-consumer', () => {
  test('a span per message handled, the producer\'s child; the handler\'s spans and the delete are its children', async () => {
    reset();
    await drain();
    await tracer.startActiveSpan('checkout', () => sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'first' }, { Id: 'b', MessageBody: 'second' }] })));
    const send = only(finishedSpans(), 'SQS.SendMessageBatch');
    const handled: string[] = [];
    const consumer = Consumer.create({
      queueUrl,
      sqs,
      batchSize: 2,
      waitTimeSeconds: 0,
      pollingWaitTimeMs: 20,
      handleMessage: async (message) => {
        tracer.startSpan('handle').finish();
        handled.push(message.Body!);
        return message;
      },
    });
    consumer.start();
    const processed = await waitFor(() => finishedSpans().filter((s) => s.operationName === 'SQS.process'), 2);
    consumer.stop();
    assert.deepEqual(handled.sort(), ['first', 'second']);
    assert.equal(processed.length, 2);
    const spans = finishedSpans();
    for (const process of processed) {
      assert.equal(process.traceId, send.traceId);
      assert.equal(process.parentSpanId, send.spanId);
      assert.equal(process.tags['span.kind'], 'consumer');
      assert.equal(process.tags['message_bus.destination'], 'orders');
      assert.deepEqual(childrenOf(spans, process).map((s) => s.operationName).sort(), ['SQS.DeleteMessage', 'handle']);
    }
    assert.equal(sqsServer.queues.get('orders')!.length, 0, 'both deleted');
  });

  test('handleMessageBatch: one span for the batch, following from each message\'s producer span', async () => {
    reset();
    await drain();
    await tracer.startActiveSpan('first', () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'one' })));
    await tracer.startActiveSpan('second', () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'two' })));
    const sends = finishedSpans().filter((s) => s.operationName === 'SQS.SendMessage');
    const consumer = Consumer.create({
      queueUrl,
      sqs,
      batchSize: 2,
      waitTimeSeconds: 0,
      pollingWaitTimeMs: 20,
      handleMessageBatch: async (messages) => {
        tracer.startSpan('handle-batch').finish();
        return messages;
      },
    });
    consumer.start();
    const [batch] = await waitFor(() => finishedSpans().filter((s) => s.operationName === 'SQS.process'), 1);
    consumer.stop();
    assert.ok(batch !== undefined);
    assert.equal(batch.tags['aws.sqs.batch_size'], 2);
    assert.deepEqual(batch.references.map((r) => r.spanId).sort(), sends.map((s) => s.spanId).sort());
    assert.ok(batch.references.every((r) => r.type === 'follows_from'));
    const children = childrenOf(finishedSpans(), batch);
    assert.deepEqual(children.map((s) => s.operationName).sort(), ['SQS.DeleteMessageBatch', 'handle-batch']);
    assert.equal(children.find((s) => s.operationName === 'SQS.DeleteMessageBatch')!.tags.error, undefined);
    assert.equal(sqsServer.queues.get('orders')!.length, 0, 'both deleted');
  });
});
