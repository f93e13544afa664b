// sqs-consumer: a span per message handled (`SQS.process`, span.kind=consumer), a child of the
// producer's span when the message carries a trace, active while the user's `handleMessage` and
// the message's deletion run. With `handleMessageBatch`, one `SQS.process` span per batch that
// follows from each message's producer span. The ReceiveMessage calls themselves are AWS SDK spans.
import { followsFrom } from 'opentracing';
import type { Reference } from 'opentracing';
import { HOOK_SQS_CONSUMER_PROCESS } from '../hooks/channels.js';
import { patchSqsConsumer } from '../hooks/sqs-consumer.js';
import type { SqsConsumerMessage } from '../hooks/sqs-consumer.js';
import type { Span } from '../tracer/span.js';
import { sqsMessageContext } from './aws/message-context.js';
import { lastSegment } from './aws/services.js';
import type { IntegrationContext } from './integration.js';
import { defineIntegration } from './lifecycle.js';

const NAME = 'sqs-consumer';
const spans = new WeakMap<SqsConsumerMessage, Span>();

function startProcess(context: IntegrationContext, event: SqsConsumerMessage): Span | undefined {
  const tracer = context.tracer();
  if (tracer === null) return undefined;
  let span: Span;
  if (event.messages !== undefined) {
    const references: Reference[] = [];
    for (const message of event.messages) {
      const producer = sqsMessageContext(message, tracer);
      if (producer !== null) references.push(followsFrom(producer));
    }
    span = references.length > 0 ? tracer.startSpan('SQS.process', { references }) : tracer.startSpan('SQS.process');
  } else {
    span = tracer._startSpanChildOf('SQS.process', sqsMessageContext(event.message, tracer) ?? tracer.activeSpan()?.context() ?? null);
  }
  if (span.isRecording) {
    span.setTag('span.kind', 'consumer');
    span.setTag('component', NAME);
    const url = event.consumer.queueUrl;
    if (typeof url === 'string') {
      span.setTag('aws.sqs.queue_url', url);
      span.setTag('message_bus.destination', lastSegment(url));
    }
    const id = (event.message as { MessageId?: unknown } | null | undefined)?.MessageId;
    if (typeof id === 'string') span.setTag('aws.sqs.message_id', id);
    if (event.messages !== undefined) span.setTag('aws.sqs.batch_size', event.messages.length);
  }
  spans.set(event, span);
  return span;
}

function finishProcess(event: SqsConsumerMessage): void {
  const span = spans.get(event);
  if (span === undefined) return;
  spans.delete(event);
  if (event.error !== undefined) span.recordError(event.error);
  span.finish();
}

export const sqsConsumerIntegration = defineIntegration({
  name: NAME,
  packages: [NAME],
  setup(context) {
    return {
      tracingChannels: [{
        channel: HOOK_SQS_CONSUMER_PROCESS,
        activeSpan: (event: SqsConsumerMessage) => startProcess(context, event),
        error: finishProcess,
        asyncEnd: finishProcess,
      }],
      moduleHooks: [{ name: NAME, versions: '>=5', patch: patchSqsConsumer }],
    };
  },
});
