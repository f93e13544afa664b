import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import type { PropagatorName } from '../config/options.js';
import { SpanContext } from '../tracer/span-context.js';
import type { Propagation } from '../tracer/tracer.js';
import { BaggageBuilder } from './baggage.js';
import { readRawTraceHeaders, readTraceHeaders, writeHeaders } from './carrier.js';
import type { TraceHeaders } from './carrier.js';
import { b3MultiPropagator } from './b3-multi.js';
import { b3SinglePropagator } from './b3-single.js';
import { jaegerPropagator, readDebugId } from './jaeger.js';
import type { Propagator } from './propagator.js';
import { w3cBaggagePropagator } from './w3c-baggage.js';
import { traceContextPropagator, traceStateFor } from './w3c-trace-context.js';

const PROPAGATORS: Readonly<Record<PropagatorName, Propagator>> = {
  jaeger: jaegerPropagator,
  tracecontext: traceContextPropagator,
  baggage: w3cBaggagePropagator,
  b3: b3SinglePropagator,
  b3multi: b3MultiPropagator,
};

const NO_TRACE: readonly number[] = Object.freeze([0, 0, 0, 0]);

function isTextFormat(format: string): boolean {
  return format === FORMAT_HTTP_HEADERS || format === FORMAT_TEXT_MAP;
}

/**
 * Injects every configured format and extracts the first valid context in configured order, with
 * baggage merged from all of them (W3C `baggage` first). Other formats, FORMAT_BINARY included,
 * inject nothing and extract null.
 */
export class CompositePropagation implements Propagation {
  private readonly propagators: readonly Propagator[];
  private readonly contextReaders: readonly Propagator[];
  private readonly baggageReaders: readonly Propagator[];
  private readonly owned: ReadonlySet<string>;
  private readonly readsDebugId: boolean;
  private readonly readsTraceState: boolean;

  constructor(names: readonly PropagatorName[]) {
    const unique = [...new Set(names)].filter((name) => Object.prototype.hasOwnProperty.call(PROPAGATORS, name));
    this.propagators = unique.map((name) => PROPAGATORS[name]);
    this.contextReaders = this.propagators.filter((p) => p.extractContext !== undefined);
    // HTTP lowercases header names, so `baggage` (which keeps a key's case) is read first.
    this.baggageReaders = this.propagators.filter((p) => p.extractBaggage !== undefined)
      .sort((a, b) => Number(b === w3cBaggagePropagator) - Number(a === w3cBaggagePropagator));
    this.owned = new Set(this.propagators.flatMap((p) => p.fields));
    this.readsDebugId = unique.includes('jaeger');
    this.readsTraceState = unique.includes('tracecontext');
  }

  inject(context: SpanContext, format: string, carrier: unknown): void {
    if (!isTextFormat(format) || carrier === null || typeof carrier !== 'object') return;
    const writes: string[] = [];
    const http = format === FORMAT_HTTP_HEADERS;
    for (const propagator of this.propagators) propagator.inject(context, writes, http);
    writeHeaders(carrier as Record<string, unknown>, writes, this.owned);
  }

  injectHeaders(context: SpanContext): string[] {
    const writes: string[] = [];
    for (const propagator of this.propagators) propagator.inject(context, writes, true);
    return writes;
  }

  extract(format: string, carrier: unknown): SpanContext | null {
    if (!isTextFormat(format) || carrier === null || typeof carrier !== 'object') return null;
    const headers = readTraceHeaders(carrier);
    return headers === null ? null : this.contextFrom(headers, format === FORMAT_HTTP_HEADERS);
  }

  extractRawHeaders(raw: readonly string[]): SpanContext | null {
    const headers = readRawTraceHeaders(raw);
    return headers === null ? null : this.contextFrom(headers, true);
  }

  private contextFrom(headers: TraceHeaders, http: boolean): SpanContext | null {
    let context: SpanContext | null = null;
    for (let i = 0; i < this.contextReaders.length && context === null; i++) {
      context = this.contextReaders[i]!.extractContext!(headers);
    }
    const baggage = this.baggageFrom(headers, http);
    const debugId = this.readsDebugId ? readDebugId(headers) : null;
    if (context === null) {
      // No ids, but baggage or a debug id still shape the root span the tracer starts.
      return baggage === null && debugId === null ? null : new SpanContext(NO_TRACE, 0, 0, 0, 0, 0, baggage, null, debugId);
    }
    context._baggage = baggage;
    context.debugId = debugId;
    if (context.traceState === null && this.readsTraceState) context.traceState = traceStateFor(context, headers);
    return context;
  }

  private baggageFrom(headers: TraceHeaders, http: boolean): SpanContext['_baggage'] {
    if (this.baggageReaders.length === 0 || !headers.hasBaggage) return null;
    const builder = new BaggageBuilder();
    for (const reader of this.baggageReaders) reader.extractBaggage!(headers, builder, http);
    return builder.result();
  }
}
