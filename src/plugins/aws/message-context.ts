// The trace context each received SQS message carried, remembered when ReceiveMessage returns
// (before the attributes we asked for on the user's behalf are taken out again). Process-wide, so
// the ESM and CommonJS builds of this package share it.
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { globalTracer } from '../../tracer/global.js';
import type { SpanContext } from '../../tracer/span-context.js';
import type { Tracer } from '../../tracer/tracer.js';
import { traceHeadersOfMessage } from './message-attributes.js';

const KEY = Symbol.for('opentracing-async-instrumentation.sqsMessageContexts');
const holder = globalThis as { [KEY]?: WeakMap<object, SpanContext> };
const contexts: WeakMap<object, SpanContext> = (holder[KEY] ??= new WeakMap());

export function rememberMessageContext(message: object, context: SpanContext): void {
  contexts.set(message, context);
}

/**
 * The trace context a received SQS message carries, so that the span processing it can be its
 * child (`tracer.startSpan('process', { childOf: sqsMessageContext(message) })`) or follow from
 * it. Works for messages received through a traced SQS client (even when the user did not ask
 * for the trace attributes), for messages whose trace attributes the user asked for, and for SNS
 * notifications delivered to SQS. Null when the message carries no trace or no tracer is set.
 */
export function sqsMessageContext(message: unknown, tracer?: Tracer | null): SpanContext | null {
  if (message === null || typeof message !== 'object') return null;
  const remembered = contexts.get(message);
  if (remembered !== undefined) return remembered;
  const headers = traceHeadersOfMessage(message);
  const using = tracer ?? globalTracer();
  if (headers === null || using == null) return null;
  try {
    return using.extract(FORMAT_HTTP_HEADERS, headers);
  } catch {
    return null; // extract never throws for text formats; a foreign tracer might
  }
}
