import { Span as OTSpan, Tags } from 'opentracing';
import type { Tracer } from './tracer.js';
import { FLAG_SAMPLED, SpanContext } from './span-context.js';
import { nowMs } from './clock.js';
import type { SpanLimits, SpanLog, SpanReference } from './types.js';
import { boundTagValue } from './tag-value.js';
import { asFields, asText, asTime } from './arguments.js';

// Strings are by far the common case and are checked first, inline.
function bound(value: unknown, max: number): unknown {
  if (typeof value === 'string') return value.length > max ? value.slice(0, max) : value;
  return typeof value === 'number' ? value : boundTagValue(value, max);
}

const SAMPLING_PRIORITY = Tags.SAMPLING_PRIORITY;

/**
 * A span. An unsampled span keeps only its context (it still propagates) and records nothing.
 * After `finish()` it is immutable: later tags, logs and finishes are ignored.
 */
export class Span extends OTSpan {
  operationName: string;
  /** Milliseconds since the epoch (fractional); 0 for a span that is not sampled. */
  startTime: number;
  /** Milliseconds; -1 until finished. */
  duration: number;
  /** Flat key/value pairs: [key0, value0, key1, value1, ...]; keys unique. */
  readonly tags: unknown[];
  logs: SpanLog[] | null;
  /** References given explicitly at start (the primary parent is also in the context). */
  readonly references: readonly SpanReference[] | null;
  private readonly _spanContext: SpanContext;
  private readonly _owner: Tracer;
  private readonly _limits: SpanLimits;
  private _recording: boolean;
  /** Entries of `tags` the tracer set at start (sampler tags, start options); see `_appendTag`. */
  _startTags: number;

  constructor(
    tracer: Tracer,
    context: SpanContext,
    operationName: string,
    startTime: number,
    references: readonly SpanReference[] | null,
    limits: SpanLimits,
  ) {
    super();
    this._owner = tracer;
    this._spanContext = context;
    this._limits = limits;
    this._recording = (context.flags & FLAG_SAMPLED) !== 0;
    this.operationName = operationName.length > limits.maxOperationNameLength
      ? operationName.slice(0, limits.maxOperationNameLength)
      : operationName;
    this.startTime = startTime;
    this.duration = -1;
    this.tags = [];
    this._startTags = 0;
    this.logs = null;
    this.references = references;
  }

  override context(): SpanContext {
    return this._spanContext;
  }

  override tracer(): Tracer {
    return this._owner;
  }

  get isFinished(): boolean {
    return this.duration >= 0;
  }

  /** True while the span is sampled and not yet finished: only then do tags and logs count. */
  get isRecording(): boolean {
    return this._recording;
  }

  override setOperationName(name: string): this {
    if (this._recording) {
      this.operationName = bound(asText(name), this._limits.maxOperationNameLength) as string;
    }
    return this;
  }

  /** Sets a tag; `sampling.priority` (> 0 force, 0 drop) also decides whether the span is recorded. */
  override setTag(key: string, value: unknown): this {
    if (key === SAMPLING_PRIORITY) return this._setSamplingPriority(value);
    if (this._recording) this._putTag(typeof key === 'string' ? key : asText(key), value);
    return this;
  }

  /** @internal setTag without the `sampling.priority` rule. */
  _putTag(key: string, value: unknown): void {
    if (!this._recording) return;
    const tags = this.tags;
    const v = bound(value, this._limits.maxTagValueLength);
    for (let i = 0; i < tags.length; i += 2) {
      if (tags[i] === key) {
        tags[i + 1] = v;
        return;
      }
    }
    if (tags.length < this._limits.maxTags * 2) tags.push(key, v);
  }

  // Before finish only. A span that becomes sampled here starts recording now (an unsampled span
  // keeps no start time, to stay cheap); one that is dropped is never reported.
  private _setSamplingPriority(priority: unknown): this {
    if (priority == null || this.duration >= 0) return this;
    if (!this._spanContext._prioritise(priority)) return this;
    if ((this._spanContext.flags & FLAG_SAMPLED) === 0) {
      this._recording = false;
      return this;
    }
    if (!this._recording) {
      this._recording = true;
      this.startTime = nowMs();
    }
    this._putTag(SAMPLING_PRIORITY, priority);
    return this;
  }

  /**
   * @internal For instrumentation setting its own tags right after starting the span, each key
   * once: the key is looked for only among the tags the tracer set at start, not among those
   * appended since (a server span's seven tags would otherwise cost 21 comparisons).
   */
  _appendTag(key: string, value: unknown): void {
    if (!this._recording) return;
    const tags = this.tags;
    for (let i = 0; i < this._startTags; i += 2) {
      if (tags[i] === key) {
        tags[i + 1] = bound(value, this._limits.maxTagValueLength);
        return;
      }
    }
    if (tags.length < this._limits.maxTags * 2) tags.push(key, bound(value, this._limits.maxTagValueLength));
  }

  override addTags(keyValuePairs: { [key: string]: unknown } | null | undefined): this {
    const pairs = asFields(keyValuePairs);
    if (pairs === null) return this;
    // As jaeger-client: sampling.priority first, so it decides whether the others are kept.
    const priority = pairs[SAMPLING_PRIORITY];
    if (priority != null) this._setSamplingPriority(priority);
    if (!this._recording) return this;
    for (const key of Object.keys(pairs)) if (key !== SAMPLING_PRIORITY) this._putTag(key, pairs[key]);
    return this;
  }

  /** Value of a tag set on this span, or undefined. */
  getTag(key: string): unknown {
    const tags = this.tags;
    for (let i = 0; i < tags.length; i += 2) if (tags[i] === key) return tags[i + 1];
    return undefined;
  }

  override log(keyValuePairs: { [key: string]: unknown }, timestamp?: number): this {
    if (!this._recording || keyValuePairs === null || typeof keyValuePairs !== 'object') return this;
    const logs = (this.logs ??= []);
    if (logs.length >= this._limits.maxLogs) return this;
    const max = this._limits.maxTagValueLength;
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(keyValuePairs)) fields[key] = bound(keyValuePairs[key], max);
    logs.push({ timestamp: asTime(timestamp) ?? nowMs(), fields });
    return this;
  }

  override setBaggageItem(key: string, value: string): this {
    const ctx = this._spanContext;
    ctx._baggage = { ...ctx._baggage, [asText(key)]: asText(value) };
    this._owner._metrics?.baggageUpdated();
    return this;
  }

  override getBaggageItem(key: string): string | undefined {
    const baggage = this._spanContext._baggage;
    const name = asText(key);
    return baggage !== null && Object.prototype.hasOwnProperty.call(baggage, name) ? baggage[name] : undefined;
  }

  override finish(finishTime?: number): void {
    if (this._recording) {
      this._recording = false;
      const end = asTime(finishTime) ?? nowMs();
      this.duration = end > this.startTime ? end - this.startTime : 0;
      this._owner._onFinish(this);
    } else if (this.duration < 0) {
      this.duration = 0;
    }
  }

  /** jaeger-client's name of the tracer's service. */
  get serviceName(): string {
    return this._owner.serviceName;
  }

  /** jaeger-client's (and OpenTracing 0.x's) `logEvent(event, payload)`. */
  override logEvent(eventName: string, payload?: unknown): void {
    this.log({ event: eventName, payload });
  }

  /**
   * Marks the span failed following OpenTracing conventions: `error=true` and an `error` log
   * with the object, message and stack.
   */
  recordError(error: unknown): this {
    if (!this._recording) return this;
    this.setTag('error', true);
    if (error instanceof Error) {
      this.log({ event: 'error', 'error.object': error, 'error.kind': error.name, message: error.message, stack: error.stack });
    } else {
      this.log({ event: 'error', 'error.object': error, message: asText(error) });
    }
    return this;
  }
}
