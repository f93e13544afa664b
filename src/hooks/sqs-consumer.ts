// sqs-consumer publishes nothing. Its Consumer hands each received message to
// `processMessage(message)` (or, with `handleMessageBatch`, all of them to
// `processMessageBatch(messages)`), which runs the user's handler and then deletes the messages;
// the hook publishes that on `HOOK_SQS_CONSUMER_PROCESS` (`start` with bound stores around it,
// then `error` or `asyncEnd`), so the handler and the delete run in a plugin's span.
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { HOOK_SQS_CONSUMER_PROCESS } from './channels.js';
import { replaceMethod } from './wrap.js';

export interface SqsConsumerMessage {
  /** The Consumer (its `queueUrl` names the queue). */
  readonly consumer: { readonly queueUrl?: unknown };
  /** The SQS message being handled, as ReceiveMessage returned it (one message at a time). */
  readonly message?: unknown;
  /** The messages handled together (`handleMessageBatch`). */
  readonly messages?: readonly unknown[];
  error?: unknown;
}

export const processChannel = diagnosticsChannel.tracingChannel<unknown, SqsConsumerMessage>(HOOK_SQS_CONSUMER_PROCESS);

type ProcessMessage = (this: unknown, message: unknown) => unknown;

function run(this: unknown, original: ProcessMessage, event: SqsConsumerMessage, argument: unknown): unknown {
  let result: unknown;
  try {
    result = original.call(this, argument);
  } catch (error) {
    event.error = error;
    processChannel.error.publish(event);
    throw error;
  }
  if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
    (result as PromiseLike<unknown>).then(() => processChannel.asyncEnd.publish(event), (error: unknown) => {
      event.error = error;
      processChannel.error.publish(event);
    });
  } else {
    processChannel.asyncEnd.publish(event);
  }
  return result;
}

function wrapProcessMessage(original: ProcessMessage): ProcessMessage {
  return function processMessage(this: unknown, message: unknown) {
    // `start` (not the TracingChannel's own hasSubscribers: Node 20.13+ only); a bound store counts.
    if (!processChannel.start.hasSubscribers) return original.call(this, message);
    const event: SqsConsumerMessage = { consumer: this as SqsConsumerMessage['consumer'], message };
    return processChannel.start.runStores(event, run, this, original, event, message);
  };
}

function wrapProcessMessageBatch(original: ProcessMessage): ProcessMessage {
  return function processMessageBatch(this: unknown, messages: unknown) {
    // `start` (not the TracingChannel's own hasSubscribers: Node 20.13+ only); a bound store counts.
    if (!processChannel.start.hasSubscribers || !Array.isArray(messages)) return original.call(this, messages);
    const event: SqsConsumerMessage = { consumer: this as SqsConsumerMessage['consumer'], messages };
    return processChannel.start.runStores(event, run, this, original, event, messages);
  };
}

/** Patches the Consumer class of an sqs-consumer module (CommonJS exports or ESM namespace). */
export function patchSqsConsumer(exports: unknown): (() => void) | null {
  const consumer = (exports as { Consumer?: { prototype?: { processMessage?: unknown; processMessageBatch?: unknown } } } | null)?.Consumer;
  const proto = consumer?.prototype;
  if (proto === undefined || typeof proto.processMessage !== 'function') return null;
  const undo = [replaceMethod(proto as { processMessage: ProcessMessage }, 'processMessage', wrapProcessMessage)];
  if (typeof proto.processMessageBatch === 'function') {
    undo.push(replaceMethod(proto as { processMessageBatch: ProcessMessage }, 'processMessageBatch', wrapProcessMessageBatch));
  }
  return () => { for (const restore of undo.reverse()) restore(); };
}
