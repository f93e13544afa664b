import { SpanContext as OTSpanContext } from 'opentracing';
import { parseHexWords, wordToHex } from './ids.js';

export const FLAG_SAMPLED = 1;
export const FLAG_DEBUG = 2;

export type Baggage = Readonly<Record<string, string>>;

const NO_BAGGAGE: Baggage = Object.freeze({});

/** jaeger-client's form of an id: hex without leading zeros ("0" for zero). */
function trimZeros(hex: string): string {
  let i = 0;
  while (i < hex.length - 1 && hex.charCodeAt(i) === 48) i++;
  return i === 0 ? hex : hex.slice(i);
}

function wordsBuffer(words: readonly number[], from: number): Buffer {
  const buffer = Buffer.allocUnsafe((words.length - from) * 4);
  for (let i = from; i < words.length; i++) buffer.writeInt32BE(words[i]! | 0, (i - from) * 4);
  return buffer;
}

function hexOf(value: string | Buffer | null | undefined): string | null {
  if (value == null) return null;
  return typeof value === 'string' ? value : value.toString('hex');
}

/**
 * Identity of a span as it travels between processes. Ids are int32 words, most significant
 * first; the 4-word trace id array is shared (never mutated) by every span of a trace.
 * jaeger-client's accessors (`traceIdStr`, `isSampled()`, `toString()`, Buffer ids...) are
 * computed only when read.
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
  _baggage: Baggage | null;
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
    this._baggage = baggage;
    this.traceState = traceState;
    this.debugId = debugId;
    this._traceIdHex = undefined;
    this._spanIdHex = undefined;
  }

  /**
   * jaeger-client's `SpanContext.withStringIds`: a context from hex ids (a 64-bit trace id is
   * left-padded); an invalid id gives a context that is not `isValid`.
   */
  static withStringIds(
    traceIdStr: string | null, spanIdStr: string | null, parentIdStr: string | null, flags: number,
    baggage: Baggage = {}, debugId = '',
  ): SpanContext {
    const trace = traceIdStr ? parseHexWords(traceIdStr, 4) : null;
    const span = spanIdStr ? parseHexWords(spanIdStr, 2) : null;
    const parent = parentIdStr && parentIdStr !== '0' ? parseHexWords(parentIdStr, 2) : null;
    const valid = trace !== null && span !== null;
    const items = Object.keys(baggage).length > 0 ? { ...baggage } : null;
    return new SpanContext(valid ? trace : [0, 0, 0, 0], valid ? span[0]! : 0, valid ? span[1]! : 0,
      parent?.[0] ?? 0, parent?.[1] ?? 0, flags | 0, items, null, debugId === '' ? null : debugId);
  }

  /** jaeger-client's `SpanContext.withBinaryIds` (Buffers of 8 or 16 bytes). */
  static withBinaryIds(
    traceId: Buffer | null, spanId: Buffer | null, parentId: Buffer | null, flags: number,
    baggage: Baggage = {}, debugId = '',
  ): SpanContext {
    return SpanContext.withStringIds(hexOf(traceId), hexOf(spanId), hexOf(parentId), flags, baggage, debugId);
  }

  /** jaeger-client's `SpanContext.fromString('trace:span:parent:flags')`, or null when malformed. */
  static fromString(serialized: string): SpanContext | null {
    const parts = String(serialized).split(':');
    if (parts.length !== 4 || !/^[0-9a-fA-F]{1,2}$/.test(parts[3]!)) return null;
    const context = SpanContext.withStringIds(parts[0]!, parts[1]!, parts[2]!, parseInt(parts[3]!, 16));
    return context.isValid && (context.traceWords[0]! | context.traceWords[1]! | context.traceWords[2]! | context.traceWords[3]!) !== 0
      ? context
      : null;
  }

  /** A context extracted with baggage or a debug id but no trace/span ids. */
  get isValid(): boolean {
    return (this.spanIdHi | this.spanIdLo) !== 0;
  }

  /** Whether the trace is recorded (jaeger-client's method). */
  isSampled(): boolean {
    return (this.flags & FLAG_SAMPLED) !== 0;
  }

  /** Whether the debug flag is set (jaeger-client's method). */
  isDebug(): boolean {
    return (this.flags & FLAG_DEBUG) !== 0;
  }

  /**
   * @internal The OpenTracing `sampling.priority` rule as jaeger-client applies it: above 0 forces
   * sampled + debug, anything else drops. False when nothing changes (already debug) and the tag
   * is not to be recorded.
   */
  _prioritise(priority: unknown): boolean {
    // jaeger-client compares with `> 0`; only primitives are converted, so a Symbol or an object
    // whose valueOf throws cannot throw here (they drop, as any non-positive value).
    const type = typeof priority;
    const value = type === 'number' ? priority as number
      : type === 'string' || type === 'boolean' || type === 'bigint' ? Number(priority) : NaN;
    if (value > 0) {
      if ((this.flags & FLAG_DEBUG) !== 0) return false;
      this.flags |= FLAG_SAMPLED | FLAG_DEBUG;
    } else {
      this.flags &= ~(FLAG_SAMPLED | FLAG_DEBUG);
    }
    return true;
  }

  get hasParent(): boolean {
    return (this.parentIdHi | this.parentIdLo) !== 0;
  }

  /** Baggage items (a shared empty object when there are none); replace it, never mutate it. */
  get baggage(): Baggage {
    return this._baggage ?? NO_BAGGAGE;
  }

  set baggage(items: Baggage | null) {
    this._baggage = items !== null && Object.keys(items).length > 0 ? items : null;
  }

  /** jaeger-client's `withBaggageItem`: a copy of this context with one more item. */
  withBaggageItem(key: string, value: string): SpanContext {
    return new SpanContext(this.traceWords, this.spanIdHi, this.spanIdLo, this.parentIdHi, this.parentIdLo,
      this.flags, { ...this._baggage, [key]: value }, this.traceState, this.debugId);
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

  /** jaeger-client's trace id string: hex without leading zeros. */
  get traceIdStr(): string {
    return trimZeros(this.toTraceId());
  }

  /** jaeger-client's span id string: hex without leading zeros. */
  get spanIdStr(): string {
    return trimZeros(this.toSpanId());
  }

  /** jaeger-client's parent id string, or null for a root span. */
  get parentIdStr(): string | null {
    const parent = this.parentSpanId();
    return parent === null ? null : trimZeros(parent);
  }

  /** The trace id as a Buffer: 8 bytes for a 64-bit id, 16 for a 128-bit one (as jaeger-client). */
  get traceId(): Buffer {
    const w = this.traceWords;
    return wordsBuffer(w, (w[0]! | w[1]!) === 0 ? 2 : 0);
  }

  /** The span id as an 8-byte Buffer. */
  get spanId(): Buffer {
    return wordsBuffer([this.spanIdHi, this.spanIdLo], 0);
  }

  /** The parent span id as an 8-byte Buffer, or null for a root span. */
  get parentId(): Buffer | null {
    return this.hasParent ? wordsBuffer([this.parentIdHi, this.parentIdLo], 0) : null;
  }

  /** `trace:span:parent:flags`, jaeger-client's form (also that of the `uber-trace-id` header). */
  override toString(): string {
    return `${this.traceIdStr}:${this.spanIdStr}:${this.parentIdStr ?? '0'}:${this.flags.toString(16)}`;
  }
}
