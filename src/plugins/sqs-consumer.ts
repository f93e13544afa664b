// sqs-consumer: a span per message handled (`SQS.process`, span.kind=consumer), a child of the
// producer's span when the message carries a trace, active while the user's `handleMessage` and
// the message's deletion run. The ReceiveMessage calls themselves are AWS SDK spans.
import { patchSqsConsumer, processChannel } from '../hooks/sqs-consumer.js';
import type { SqsConsumerMessage } from '../hooks/sqs-consumer.js';
import { isInstalled } from '../hooks/http-server.js';
import { hookModules } from '../hooks/registry.js';
import type { ModuleHook } from '../hooks/registry.js';
import { spanStore } from '../tracer/active-context.js';
import type { Span } from '../tracer/span.js';
import { sqsMessageContext } from './aws/message-context.js';
import { lastSegment } from './aws/services.js';
import type { Integration, IntegrationContext } from './integration.js';
import { Subscriptions } from './subscriptions.js';

const NAME = 'sqs-consumer';
const spans = new WeakMap<SqsConsumerMessage, Span>();

function startProcess(context: IntegrationContext, event: SqsConsumerMessage): Span | null {
  const tracer = context.tracer();
  if (tracer === null) return spanStore.getStore() ?? null;
  const span = tracer._startSpanChildOf('SQS.process', sqsMessageContext(event.message, tracer) ?? tracer.activeSpan()?.context() ?? null);
  if (span.isRecording) {
    span.setTag('span.kind', 'consumer');
    span.setTag('component', NAME);
    const url = event.consumer.queueUrl;
    if (typeof url === 'string') {
      span.setTag('aws.sqs.queue_url', url);
      span.setTag('message_bus.destination', lastSegment(url));
    }
    const id = (event.message as { MessageId?: unknown } | null)?.MessageId;
    if (typeof id === 'string') span.setTag('aws.sqs.message_id', id);
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

export const sqsConsumerIntegration: Integration = (() => {
  let subscriptions: Subscriptions | null = null;
  let hook: ModuleHook | null = null;
  const undo: (() => void)[] = [];
  return {
    name: NAME,
    enable(context: IntegrationContext): boolean {
      if (subscriptions !== null) return true;
      if (!isInstalled(NAME)) return false;
      subscriptions = new Subscriptions(NAME);
      processChannel.start.bindStore(spanStore, (event: SqsConsumerMessage) => {
        try {
          return startProcess(context, event);
        } catch (error) {
          context.fault(NAME, error);
          return spanStore.getStore() ?? null;
        }
      });
      subscriptions.add(context, processChannel.error.name as string, finishProcess);
      subscriptions.add(context, processChannel.asyncEnd.name as string, finishProcess);
      hook = hookModules([NAME], (exports) => {
        const restore = patchSqsConsumer(exports);
        if (restore !== null) undo.push(restore);
        return undefined;
      });
      return true;
    },
    disable(): void {
      if (subscriptions === null) return;
      hook?.unhook();
      hook = null;
      for (const restore of undo.splice(0).reverse()) restore();
      processChannel.start.unbindStore(spanStore);
      subscriptions.removeAll();
      subscriptions = null;
    },
  };
})();
