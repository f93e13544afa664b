import { Span as OTSpan } from 'opentracing';
import type { Tracer } from './tracer.js';
import { SpanContext } from './span-context.js';
import { nowMs } from './clock.js';
import type { SpanLimits, SpanLog, SpanReference } from './types.js';
import { boundTagValue } from './tag-value.js';
import { asFields, asText, asTime } from './arguments.js';

// Strings are by far the common case and are checked first, inline.
function bound(value: unknown, max: number): unknown {
  if (typeof value === 'string') return value.length > max ? value.slice(0, max) : value;
  return typeof value === 'number' ? value : boundTagValue(value, max);
}

/**
 * A span. An unsampled span keeps only its context (it still propagates) and records nothing.
 * After `finish()` it is immutable: later tags, logs and finishes are ignored.
 */
export class Span extends OTSpan {
  operationName: string;
  /** Milliseconds since the epoch (fractional). */
  readonly startTime: number;
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
    this._recording = context.isSampled;
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

  override setTag(key: string, value: unknown): this {
    if (!this._recording) return this;
    if (typeof key !== 'string') key = asText(key);
    const tags = this.tags;
    const v = bound(value, this._limits.maxTagValueLength);
    for (let i = 0; i < tags.length; i += 2) {
      if (tags[i] === key) {
        tags[i + 1] = v;
        return this;
      }
    }
    if (tags.length < this._limits.maxTags * 2) tags.push(key, v);
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
    if (!this._recording || pairs === null) return this;
    for (const key of Object.keys(pairs)) this.setTag(key, pairs[key]);
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
    ctx.baggage = { ...ctx.baggage, [asText(key)]: asText(value) };
    return this;
  }

  override getBaggageItem(key: string): string | undefined {
    const baggage = this._spanContext.baggage;
    const name = asText(key);
    return baggage !== null && Object.prototype.hasOwnProperty.call(baggage, name) ? baggage[name] : undefined;
  }

  override finish(finishTime?: number): void {
    if (this._recording) {
      this._recording = false;
      const end = asTime(finishTime) ?? nowMs();
      this.duration = end > this.startTime ? end - this.startTime : 0;
      this._owner._onFinish(this);
    }
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
