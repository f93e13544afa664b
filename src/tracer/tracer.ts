import * as opentracing from 'opentracing';
import { Span } from './span.js';
import { FLAG_DEBUG, FLAG_SAMPLED, SpanContext } from './span-context.js';
import { randomWord } from './ids.js';
import { nowMs } from './clock.js';
import { spanStore } from './active-context.js';
import { FaultLog, defaultLogger } from './logger.js';
import type { Limiter, Logger, Reporter, Sampler, SamplingDecision, SpanLimits, SpanReference, TracerMetrics } from './types.js';
import { DEFAULT_SPAN_LIMITS } from './types.js';
import { asFields, asText, asTime } from './arguments.js';

/** Options of `startSpan` / `startActiveSpan`: OpenTracing's, plus `ignoreActiveSpan`. */
export interface SpanOptions {
  childOf?: opentracing.Span | opentracing.SpanContext | null;
  references?: opentracing.Reference[];
  tags?: { [key: string]: unknown };
  /** Milliseconds since the epoch. */
  startTime?: number;
  /** Start a root span (or a child of `childOf`) even when a span is active. */
  ignoreActiveSpan?: boolean;
}

/** Turns contexts into carriers and back for the formats the tracer was configured with. */
export interface Propagation {
  inject(context: SpanContext, format: string, carrier: unknown): void;
  extract(format: string, carrier: unknown): SpanContext | null;
  /** The HTTP headers `inject(context, FORMAT_HTTP_HEADERS, {})` would write, as [name, value, ...]. */
  injectHeaders?(context: SpanContext): string[];
  /** Like `extract(FORMAT_HTTP_HEADERS, req.headers)`, from Node's `req.rawHeaders` list. */
  extractRawHeaders?(raw: readonly string[]): SpanContext | null;
}

export interface TracerParts {
  serviceName: string;
  sampler: Sampler;
  reporter: Reporter;
  propagation: Propagation;
  /** Process-level tags (exporters send them once per batch). */
  tags?: Readonly<Record<string, unknown>>;
  logger?: Logger;
  limits?: SpanLimits;
  disabled?: boolean;
  /** Bounds how many `jaeger-debug-id` requests may force a sampled trace (absent: all may). */
  debugLimiter?: Limiter;
  /** jaeger-client's metrics (`options.metrics`), when asked for. */
  metrics?: TracerMetrics;
}

/** jaeger-client's codec interface, for `registerInjector` (`inject(context, carrier)`). */
export interface Injector {
  inject(context: SpanContext, carrier: unknown): void;
}

/** jaeger-client's codec interface, for `registerExtractor`: returns a context or null. */
export interface Extractor {
  extract(carrier: unknown): opentracing.SpanContext | null;
}

const SAMPLING_PRIORITY = opentracing.Tags.SAMPLING_PRIORITY;
const SPAN_KIND = opentracing.Tags.SPAN_KIND;

export interface TracerStats {
  spansStarted: number;
  spansSampled: number;
  spansFinished: number;
  instrumentationFaults: number;
  [reporterCounter: string]: number;
}

const EMPTY_TRACE = Object.freeze([0, 0, 0, 0]);
const NOT_SAMPLED: SamplingDecision = Object.freeze({ sampled: false, tags: Object.freeze([]) });
const NO_HEADERS: readonly string[] = Object.freeze([]);

function asOurContext(value: unknown): SpanContext | null {
  if (value instanceof SpanContext) return value;
  // The other build of this package (ESM vs CommonJS) has its own class: accept its contexts too.
  const candidate = value as SpanContext | null;
  return candidate !== null && typeof candidate === 'object' && Array.isArray(candidate.traceWords) &&
    typeof candidate.spanIdLo === 'number' ? candidate : null;
}

/** A context another codec built (jaeger-client's accessors), as ours; null when it is none. */
function foreignContext(value: unknown): SpanContext | null {
  const own = asOurContext(value);
  if (own !== null || value === null || typeof value !== 'object') return own;
  const c = value as { traceIdStr?: unknown; spanIdStr?: unknown; parentIdStr?: unknown; flags?: unknown; baggage?: unknown; debugId?: unknown };
  if (typeof c.traceIdStr !== 'string' || typeof c.spanIdStr !== 'string') return null;
  return SpanContext.withStringIds(c.traceIdStr, c.spanIdStr, typeof c.parentIdStr === 'string' ? c.parentIdStr : null,
    typeof c.flags === 'number' ? c.flags : 0, c.baggage !== null && typeof c.baggage === 'object' ? c.baggage as Record<string, string> : {},
    typeof c.debugId === 'string' ? c.debugId : '');
}

/** A throw from a user's callback surfaces as it would from any Node callback, not as a rejection. */
function callBack(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}

function contextOf(parent: opentracing.Span | opentracing.SpanContext): SpanContext | null {
  return asOurContext(parent instanceof opentracing.Span ? parent.context() : parent);
}

function referenceType(ref: opentracing.Reference): SpanReference['type'] | null {
  const type = ref.type();
  if (type === opentracing.REFERENCE_CHILD_OF) return 'child_of';
  if (type === opentracing.REFERENCE_FOLLOWS_FROM) return 'follows_from';
  return null;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function';
}

/** `req.headers` as Node builds it from `rawHeaders`, as far as propagators care: names lowercased, repeats joined. */
function headerRecord(raw: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === '__proto__') continue;
    record[name] = Object.prototype.hasOwnProperty.call(record, name) ? `${record[name]!}, ${raw[i + 1]!}` : raw[i + 1]!;
  }
  return record;
}

function runAndFinish<T>(span: Span, fn: (span: Span) => T): T {
  let result: T;
  try {
    result = fn(span);
  } catch (error) {
    span.recordError(error);
    span.finish();
    throw error;
  }
  if (!isThenable(result)) {
    span.finish();
    return result;
  }
  return result.then(
    (value) => {
      span.finish();
      return value;
    },
    (error: unknown) => {
      span.recordError(error);
      span.finish();
      throw error;
    },
  ) as T;
}

/**
 * An OpenTracing tracer with an active span carried by AsyncLocalStorage. Nothing it does throws
 * into the caller: faults in propagation or reporting are swallowed, counted and logged once.
 */
export class Tracer extends opentracing.Tracer {
  readonly serviceName: string;
  readonly processTags: Readonly<Record<string, unknown>>;
  readonly disabled: boolean;
  readonly faults: FaultLog;
  private readonly _sampler: Sampler;
  private readonly _reporter: Reporter;
  private readonly _propagation: Propagation;
  private readonly _limits: SpanLimits;
  private readonly _noopSpan: Span;
  private readonly _debugLimiter: Limiter | null;
  /** @internal */
  readonly _metrics: TracerMetrics | null;
  private _injectors: Map<string, Injector> | null = null;
  private _extractors: Map<string, Extractor> | null = null;
  private _closed = false;
  private _closing: Promise<void> | null = null;
  private _started = 0;
  private _sampled = 0;
  private _finished = 0;

  constructor(parts: TracerParts) {
    super();
    if (parts === null || typeof parts !== 'object') {
      // jaeger-client's `new Tracer(serviceName, reporter, sampler)` would otherwise make a broken tracer.
      throw new TypeError('new Tracer(serviceName, reporter, sampler) is jaeger-client\'s form; here use ' +
        'initTracer({ serviceName }, { reporter, sampler })');
    }
    this.serviceName = parts.serviceName;
    this.processTags = parts.tags ?? {};
    this.disabled = parts.disabled === true;
    this.faults = new FaultLog(parts.logger ?? defaultLogger);
    this._sampler = parts.sampler;
    this._reporter = parts.reporter;
    this._propagation = parts.propagation;
    this._limits = parts.limits ?? DEFAULT_SPAN_LIMITS;
    this._debugLimiter = parts.debugLimiter ?? null;
    this._metrics = parts.metrics ?? null;
    this._noopSpan = new Span(this, new SpanContext(EMPTY_TRACE, 0, 0, 0, 0, 0, null), '', 0, null, this._limits);
  }

  /** Starts a span; without `childOf`/`references` its parent is the active span. */
  override startSpan(name: string, spanOptions?: SpanOptions | null): Span {
    if (this.disabled) return this._noopSpan;
    let parent: SpanContext | null = null;
    let references: SpanReference[] | null = null;
    const options = asFields(spanOptions) as SpanOptions | null ?? undefined;
    if (options !== undefined) {
      if (options.childOf != null) parent = contextOf(options.childOf);
      if (Array.isArray(options.references) && options.references.length > 0) {
        references = this._references(options.references);
        if (parent === null && references.length > 0) {
          parent = (references.find((r) => r.type === 'child_of') ?? references[0]!).context;
        }
      }
      if (parent === null && options.childOf == null && options.ignoreActiveSpan !== true) {
        parent = this._activeContext();
      }
    } else {
      parent = this._activeContext();
    }
    return this._newSpan(asText(name), parent, references, options);
  }

  /**
   * @internal `startSpan(name, { childOf: parent, ignoreActiveSpan: true })` for instrumentation,
   * without the options object: a child of exactly `parent` (null: a new trace), whatever span is
   * active. `parent` is a context of this tracer's own making (extracted or from a span).
   */
  _startSpanChildOf(name: string, parent: SpanContext | null): Span {
    if (this.disabled) return this._noopSpan;
    return this._newSpan(name, parent, null, undefined);
  }

  /**
   * Runs `fn(span)` with a new span active and returns what `fn` returns. The span finishes when
   * `fn` returns or its promise settles; a throw or rejection is recorded and passed on unchanged.
   */
  startActiveSpan<T>(name: string, fn: (span: Span) => T): T;
  startActiveSpan<T>(name: string, options: SpanOptions | undefined, fn: (span: Span) => T): T;
  startActiveSpan<T>(name: string, optionsOrFn: SpanOptions | undefined | ((span: Span) => T), maybeFn?: (span: Span) => T): T {
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
    if (typeof fn !== 'function') {
      // Nothing to run: reported (once) rather than thrown into the caller.
      this.faults.report('startActiveSpan', new TypeError('the last argument must be a function'));
      return undefined as T;
    }
    const options = typeof optionsOrFn === 'function' ? undefined : optionsOrFn;
    const span = this.startSpan(name, options);
    if (this.disabled) return fn(span);
    return spanStore.run(span, runAndFinish, span, fn) as T;
  }

  /** The span active in the current async context, or null. */
  activeSpan(): Span | null {
    return spanStore.getStore() ?? null;
  }

  /** Runs `fn` with `span` active (null: with no active span), without finishing it. */
  withSpan<T>(span: Span | null, fn: () => T): T {
    if (typeof fn !== 'function') {
      this.faults.report('withSpan', new TypeError('the second argument must be a function'));
      return undefined as T;
    }
    // Only a span becomes active (activeSpan() and every child read its context).
    const active = span !== null && typeof span === 'object' && typeof span.context === 'function' ? span : null;
    return spanStore.run(active, fn);
  }

  override inject(spanOrContext: opentracing.Span | opentracing.SpanContext, format: string, carrier: unknown): void {
    if (this.disabled || carrier === null || typeof carrier !== 'object') return;
    try {
      const context = contextOf(spanOrContext);
      if (context === null || !context.isValid) return;
      const injector = this._injectors?.get(format);
      if (injector !== undefined) injector.inject(context, carrier);
      else this._propagation.inject(context, format, carrier);
    } catch (error) {
      this.faults.report('inject', error);
    }
  }

  /**
   * @internal The trace headers for `span`'s context in the configured formats, as
   * [name, value, ...]: what `inject(span, FORMAT_HTTP_HEADERS, {})` writes into an empty carrier,
   * without the carrier. Empty when there is nothing to send (disabled, invalid context, a fault).
   */
  _traceHeaders(span: Span): readonly string[] {
    const context = span.context();
    if (this.disabled || !context.isValid) return NO_HEADERS;
    try {
      const propagation = this._propagation;
      const injector = this._injectors?.get(opentracing.FORMAT_HTTP_HEADERS);
      if (injector === undefined && propagation.injectHeaders !== undefined) return propagation.injectHeaders(context);
      const carrier: Record<string, string> = {};
      if (injector !== undefined) injector.inject(context, carrier);
      else propagation.inject(context, opentracing.FORMAT_HTTP_HEADERS, carrier);
      return Object.keys(carrier).flatMap((name) => [name, carrier[name]!]);
    } catch (error) {
      this.faults.report('inject', error);
      return NO_HEADERS;
    }
  }

  override extract(format: string, carrier: unknown): SpanContext | null {
    if (this.disabled || carrier === null || typeof carrier !== 'object') return null;
    try {
      const extractor = this._extractors?.get(format);
      return extractor !== undefined ? foreignContext(extractor.extract(carrier)) : this._propagation.extract(format, carrier);
    } catch (error) {
      this.faults.report('extract', error);
      return null;
    }
  }

  /**
   * @internal `extract(FORMAT_HTTP_HEADERS, req.headers)` from Node's `req.rawHeaders`, so that a
   * request's trace context is read without Node building `req.headers` for it.
   */
  _extractRawHeaders(raw: readonly string[]): SpanContext | null {
    if (this.disabled) return null;
    try {
      const propagation = this._propagation;
      const extractor = this._extractors?.get(opentracing.FORMAT_HTTP_HEADERS);
      if (extractor !== undefined) return foreignContext(extractor.extract(headerRecord(raw)));
      return propagation.extractRawHeaders !== undefined
        ? propagation.extractRawHeaders(raw)
        : propagation.extract(opentracing.FORMAT_HTTP_HEADERS, headerRecord(raw));
    } catch (error) {
      this.faults.report('extract', error);
      return null;
    }
  }

  /**
   * jaeger-client's `registerInjector`: `inject(context, format, carrier)` with this format calls
   * `injector.inject(context, carrier)` instead of the configured propagators (e.g.
   * `new ZipkinB3TextMapCodec({ urlEncoding: true })` for FORMAT_HTTP_HEADERS).
   */
  registerInjector(format: string, injector: Injector): void {
    if (injector === null || typeof injector !== 'object' || typeof injector.inject !== 'function') {
      this.faults.report('registerInjector', new TypeError('the injector must have an inject(context, carrier) method; ignored'));
      return;
    }
    (this._injectors ??= new Map()).set(String(format), injector);
  }

  /** jaeger-client's `registerExtractor`: `extract(format, carrier)` then calls `extractor.extract(carrier)`. */
  registerExtractor(format: string, extractor: Extractor): void {
    if (extractor === null || typeof extractor !== 'object' || typeof extractor.extract !== 'function') {
      this.faults.report('registerExtractor', new TypeError('the extractor must have an extract(carrier) method; ignored'));
      return;
    }
    (this._extractors ??= new Map()).set(String(format), extractor);
  }

  /** Sends every finished span that is still queued. Never rejects. */
  async flush(): Promise<void> {
    try {
      await this._reporter.flush();
    } catch (error) {
      this.faults.report('flush', error);
    }
  }

  /**
   * Flushes, then releases timers and sockets; spans finished afterwards are dropped. Never
   * rejects. `callback` (jaeger-client's form) is called once that is done, on every call.
   */
  close(callback?: () => void): Promise<void> {
    this._closing ??= this._shutdown();
    if (typeof callback === 'function') void this._closing.then(() => callBack(callback));
    return this._closing;
  }

  private async _shutdown(): Promise<void> {
    this._closed = true;
    try {
      this._sampler.close?.();
      await this._reporter.close();
    } catch (error) {
      this.faults.report('close', error);
    }
  }

  /**
   * @internal For a process about to end (uncaught exception, `process.exit()`): hands what is
   * queued to the exporter before returning. Never throws.
   */
  _flushSync(): void {
    if (this._closed) return;
    try {
      this._reporter.flushSync?.();
    } catch (error) {
      this.faults.report('flush', error);
    }
  }

  get isClosed(): boolean {
    return this._closed;
  }

  stats(): TracerStats {
    return {
      spansStarted: this._started,
      spansSampled: this._sampled,
      spansFinished: this._finished,
      instrumentationFaults: this.faults.count,
      ...this._reporter.stats?.(),
    };
  }

  /** Called by Span.finish for sampled spans. */
  _onFinish(span: Span): void {
    this._finished++;
    if (this._metrics !== null) this._metrics.spanFinished();
    if (this._closed) return;
    try {
      this._reporter.report(span);
    } catch (error) {
      this.faults.report('report', error);
    }
  }

  private _prioritise(context: SpanContext, tags: NonNullable<SpanOptions['tags']>): boolean {
    const priority = tags[SAMPLING_PRIORITY];
    return priority != null && context._prioritise(priority);
  }

  private _debugAllowed(): boolean {
    if (this._debugLimiter === null || this._debugLimiter.trySpend()) return true;
    this._metrics?.debugThrottled();
    return false;
  }

  private _countStart(context: SpanContext, parent: SpanContext | null, tags: SpanOptions['tags']): void {
    const newTrace = parent === null || !parent.isValid;
    const kind = tags != null ? tags[SPAN_KIND] : undefined;
    this._metrics!.spanStarted(context.isSampled(), newTrace, !newTrace && (kind === 'server' || kind === opentracing.Tags.SPAN_KIND_RPC_SERVER));
  }

  private _activeContext(): SpanContext | null {
    const active = spanStore.getStore();
    return active == null ? null : active.context();
  }

  /** The sampler's decision; a sampler that throws (a user's own) samples nothing rather than failing startSpan. */
  private _decide(name: string, traceWords: readonly number[]): SamplingDecision {
    try {
      const decision = this._sampler.isSampled(name, traceWords);
      return decision !== null && typeof decision === 'object' ? decision : NOT_SAMPLED;
    } catch (error) {
      this.faults.report('sampler', error);
      return NOT_SAMPLED;
    }
  }

  private _references(refs: opentracing.Reference[]): SpanReference[] {
    const out: SpanReference[] = [];
    for (const ref of refs) {
      const type = ref instanceof opentracing.Reference ? referenceType(ref) : null;
      const context = type === null ? null : asOurContext(ref.referencedContext());
      if (type !== null && context !== null && context.isValid) out.push({ type, context });
    }
    return out;
  }

  private _newSpan(name: string, parent: SpanContext | null, references: SpanReference[] | null, options: SpanOptions | undefined): Span {
    this._started++;
    let spanIdHi = randomWord();
    let spanIdLo = randomWord();
    if ((spanIdHi | spanIdLo) === 0) spanIdLo = 1;
    let context: SpanContext;
    let rootTags: readonly (string | number | boolean)[] | null = null;
    if (parent !== null && parent.isValid) {
      context = new SpanContext(parent.traceWords, spanIdHi, spanIdLo, parent.spanIdHi, parent.spanIdLo,
        parent.flags, parent._baggage, parent.traceState);
    } else {
      // Root: the low 64 bits are the span id, so 64-bit-only peers still see a non-zero trace id.
      const traceWords = [randomWord(), randomWord(), spanIdHi, spanIdLo];
      let flags = 0;
      let debugId = parent?.debugId ?? null;
      if (debugId !== null && !this._debugAllowed()) debugId = null;
      if (debugId !== null) {
        flags = FLAG_SAMPLED | FLAG_DEBUG;
      } else {
        const decision = this._decide(name, traceWords);
        if (decision.sampled) {
          flags = FLAG_SAMPLED;
          rootTags = Array.isArray(decision.tags) ? decision.tags : null;
        }
      }
      context = new SpanContext(traceWords, spanIdHi, spanIdLo, 0, 0, flags, parent?._baggage ?? null, null, debugId);
    }
    // sampling.priority among the start tags decides before the sampler's choice is acted on.
    const tags = options === undefined ? undefined : options.tags;
    let prioritised = false;
    if (tags != null) prioritised = this._prioritise(context, tags);
    if (this._metrics !== null) this._countStart(context, parent, tags);
    if ((context.flags & FLAG_SAMPLED) === 0) {
      return new Span(this, context, name, 0, references, this._limits);
    }
    this._sampled++;
    const startTime = asTime(options?.startTime) ?? nowMs();
    const span = new Span(this, context, name, startTime, references, this._limits);
    if (rootTags !== null) for (let i = 0; i < rootTags.length; i += 2) span.setTag(rootTags[i] as string, rootTags[i + 1]);
    if (prioritised) span._putTag(SAMPLING_PRIORITY, tags![SAMPLING_PRIORITY]);
    if (context.debugId !== null && parent !== null) span.setTag('jaeger-debug-id', context.debugId);
    if (tags != null) span.addTags(tags);
    span._startTags = span.tags.length;
    return span;
  }
}
