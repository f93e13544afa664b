import { SpanContext as OTSpanContext } from 'opentracing';
import { wordToHex } from './ids.js';

export const FLAG_SAMPLED = 1;
export const FLAG_DEBUG = 2;

export type Baggage = Readonly<Record<string, string>>;

/**
 * Identity of a span as it travels between processes. Ids are int32 words, most significant
 * first; the 4-word trace id array is shared (never mutated) by every span of a trace.
 */
export class SpanContext extends OTSpanContext {
  /** 128-bit trace id as four int32 words; a 64-bit id has zeros in the first two. */
  readonly traceWords: readonly number[];
  readonly spanIdHi: number;
  readonly spanIdLo: number;
  /** Both zero for a root span. */
  readonly parentIdHi: number;
  readonly parentIdLo: number;
  /** Jaeger flags: 1 sampled, 2 debug. */
  flags: number;
  /** Copy-on-write: children share the parent's object until one of them sets an item. */
  baggage: Baggage | null;
  /** W3C `tracestate`, carried through unchanged. */
  traceState: string | null;
  /** `jaeger-debug-id` from an incoming request: forces sampling of the root it starts. */
  debugId: string | null;
  private _traceIdHex: string | undefined;
  private _spanIdHex: string | undefined;

  constructor(
    traceWords: readonly number[],
    spanIdHi: number,
    spanIdLo: number,
    parentIdHi: number,
    parentIdLo: number,
    flags: number,
    baggage: Baggage | null,
    traceState: string | null = null,
    debugId: string | null = null,
  ) {
    super();
    this.traceWords = traceWords;
    this.spanIdHi = spanIdHi;
    this.spanIdLo = spanIdLo;
    this.parentIdHi = parentIdHi;
    this.parentIdLo = parentIdLo;
    this.flags = flags;
    this.baggage = baggage;
    this.traceState = traceState;
    this.debugId = debugId;
    this._traceIdHex = undefined;
    this._spanIdHex = undefined;
  }

  /** A context extracted with baggage or a debug id but no trace/span ids. */
  get isValid(): boolean {
    return (this.spanIdHi | this.spanIdLo) !== 0;
  }

  get isSampled(): boolean {
    return (this.flags & FLAG_SAMPLED) !== 0;
  }

  get isDebug(): boolean {
    return (this.flags & FLAG_DEBUG) !== 0;
  }

  get hasParent(): boolean {
    return (this.parentIdHi | this.parentIdLo) !== 0;
  }

  /** 32 lowercase hex digits. */
  override toTraceId(): string {
    if (this._traceIdHex === undefined) {
      const w = this.traceWords;
      this._traceIdHex = wordToHex(w[0]!) + wordToHex(w[1]!) + wordToHex(w[2]!) + wordToHex(w[3]!);
    }
    return this._traceIdHex;
  }

  /** 16 lowercase hex digits. */
  override toSpanId(): string {
    return (this._spanIdHex ??= wordToHex(this.spanIdHi) + wordToHex(this.spanIdLo));
  }

  /** 16 lowercase hex digits, or null for a root span. */
  parentSpanId(): string | null {
    return this.hasParent ? wordToHex(this.parentIdHi) + wordToHex(this.parentIdLo) : null;
  }
}
