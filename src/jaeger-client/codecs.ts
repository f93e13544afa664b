import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import { CompositePropagation } from '../propagation/composite.js';
import { jaegerPropagator } from '../propagation/jaeger.js';
import { b3MultiPropagator } from '../propagation/b3-multi.js';
import { percentEncode } from '../propagation/baggage.js';
import { SpanContext } from '../tracer/span-context.js';
import type { Extractor, Injector } from '../tracer/tracer.js';
import { jaegerMetricsOf } from './samplers.js';
import type { JaegerMetrics, MetricsFactory } from './metrics.js';

// jaeger-client's codecs for `tracer.registerInjector/registerExtractor`, as thin adapters over
// our jaeger and B3 propagators: a carrier's custom key names are mapped to the standard ones
// and back. Ids are written zero-padded (Zipkin rejects jaeger-client's trimmed ones).

/** jaeger-client's codec options. */
export interface CodecOptions {
  /** Percent-encode baggage values (use true for FORMAT_HTTP_HEADERS). */
  urlEncoding?: boolean;
  /** Header carrying the context (TextMapCodec only; default `uber-trace-id`). */
  contextKey?: string;
  /** Prefix of baggage headers (default `uberctx-`). */
  baggagePrefix?: string;
  metrics?: MetricsFactory | JaegerMetrics;
}

const UBER_TRACE_ID = 'uber-trace-id';
const UBERCTX = 'uberctx-';
const DEBUG_ID = 'jaeger-debug-id';
const JAEGER_BAGGAGE = 'jaeger-baggage';
const EMPTY = Object.freeze([0, 0, 0, 0]);

function isCarrier(carrier: unknown): carrier is Record<string, unknown> {
  return carrier !== null && typeof carrier === 'object';
}

abstract class Codec implements Injector, Extractor {
  protected readonly urlEncoding: boolean;
  protected readonly baggagePrefix: string;
  private readonly metrics: JaegerMetrics | null;
  private readonly propagation: CompositePropagation;

  protected constructor(options: CodecOptions, propagators: ('jaeger' | 'b3multi')[]) {
    this.urlEncoding = options.urlEncoding === true;
    this.baggagePrefix = (options.baggagePrefix || UBERCTX).toLowerCase();
    this.metrics = jaegerMetricsOf(options.metrics);
    this.propagation = new CompositePropagation(propagators);
  }

  abstract inject(context: SpanContext, carrier: unknown): void;

  /** Header names this codec reads as a context (counted as a decoding error when unreadable). */
  protected abstract contextKeys(lowerKey: string): string | null;

  /** Like jaeger-client, always a context: one that is not `isValid` when the carrier has no ids. */
  extract(carrier: unknown): SpanContext {
    const standard: Record<string, unknown> = {};
    let hadIds = false;
    if (isCarrier(carrier)) {
      for (const key of Object.keys(carrier)) {
        const lower = key.toLowerCase();
        const name = this.contextKeys(lower);
        if (name !== null) {
          standard[name] = carrier[key];
          hadIds = true;
        } else if (lower === DEBUG_ID || lower === JAEGER_BAGGAGE) {
          standard[lower] = carrier[key];
        } else if (lower.startsWith(this.baggagePrefix)) {
          standard[UBERCTX + key.slice(this.baggagePrefix.length)] = carrier[key];
        }
      }
    }
    const format = this.urlEncoding ? FORMAT_HTTP_HEADERS : FORMAT_TEXT_MAP;
    const context = this.propagation.extract(format, standard);
    if (hadIds && (context === null || !context.isValid)) this.metrics?.decodingErrors.increment(1);
    return context ?? new SpanContext(EMPTY, 0, 0, 0, 0, 0, null);
  }

  protected writeBaggage(context: SpanContext, carrier: Record<string, unknown>): void {
    const baggage = context._baggage;
    if (baggage === null) return;
    for (const key of Object.keys(baggage)) {
      const value = this.urlEncoding ? percentEncode(baggage[key]!) : baggage[key]!;
      if (value !== null) carrier[this.baggagePrefix + key] = value;
    }
  }
}

/** jaeger-client's `new TextMapCodec({ urlEncoding, contextKey, baggagePrefix, metrics })`: uber-trace-id and uberctx-*. */
export class TextMapCodec extends Codec {
  private readonly contextKey: string;

  constructor(options: CodecOptions = {}) {
    super(options, ['jaeger']);
    this.contextKey = (options.contextKey || UBER_TRACE_ID).toLowerCase();
  }

  protected contextKeys(lowerKey: string): string | null {
    return lowerKey === this.contextKey ? UBER_TRACE_ID : null;
  }

  inject(context: SpanContext, carrier: unknown): void {
    if (!isCarrier(carrier)) return;
    const writes: string[] = [];
    jaegerPropagator.inject(context, writes, this.urlEncoding);
    carrier[this.contextKey] = writes[1];
    this.writeBaggage(context, carrier);
  }
}

const B3_HEADERS = new Set(['x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags']);

/** jaeger-client's `new ZipkinB3TextMapCodec({ urlEncoding, baggagePrefix, metrics })`: X-B3-* headers, baggage as uberctx-*. */
export class ZipkinB3TextMapCodec extends Codec {
  constructor(options: CodecOptions = {}) {
    super(options, ['b3multi', 'jaeger']);
  }

  protected contextKeys(lowerKey: string): string | null {
    return B3_HEADERS.has(lowerKey) ? lowerKey : null;
  }

  inject(context: SpanContext, carrier: unknown): void {
    if (!isCarrier(carrier)) return;
    const writes: string[] = [];
    b3MultiPropagator.inject(context, writes, this.urlEncoding);
    for (let i = 0; i < writes.length; i += 2) carrier[writes[i]!] = writes[i + 1];
    this.writeBaggage(context, carrier);
  }
}
