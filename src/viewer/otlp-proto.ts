// OTLP/HTTP protobuf `ExportTraceServiceRequest` → viewer spans: a bounded protobuf walk with the
// field numbers of opentelemetry-proto v1 next to each case. Unknown fields are skipped.
import type { KeyValue, SpanLog, ViewerSpan } from './model.js';
import { MalformedInput } from './model.js';
import { eventLog, processOf, toViewerSpan } from './otlp-common.js';
import type { OtlpScope, OtlpSpanParts } from './otlp-common.js';

const MAX_DEPTH = 16;

class ProtoReader {
  pos: number;
  hi = 0;
  lo = 0;
  constructor(readonly buf: Buffer, start: number, readonly end: number) {
    this.pos = start;
  }

  get more(): boolean {
    return this.pos < this.end;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new MalformedInput('truncated');
    return this.buf[this.pos++]!;
  }

  varint32(): number {
    this.varint64();
    return this.lo;
  }

  /** Reads a varint into `hi` and `lo` (unsigned words). */
  varint64(): void {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift >= 70) throw new MalformedInput('varint too long');
      const b = this.byte();
      const bits = b & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >> 4;
      } else hi |= bits << (shift - 32);
      if (b < 0x80) break;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  fixed64(): void {
    if (this.pos + 8 > this.end) throw new MalformedInput('truncated');
    this.lo = this.buf.readUInt32LE(this.pos);
    this.hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) throw new MalformedInput('truncated');
    const value = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new MalformedInput('truncated');
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** A length-delimited field: returns its end, leaves `pos` at its start. */
  delimited(): number {
    const length = this.varint32();
    const end = this.pos + length;
    if (end > this.end) throw new MalformedInput('length beyond the message');
    return end;
  }

  string(): string {
    const end = this.delimited();
    const text = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return text;
  }

  hex(): string {
    const end = this.delimited();
    const text = this.buf.toString('hex', this.pos, end);
    this.pos = end;
    return text;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0: this.varint64(); return;
      case 1: this.pos += 8; break;
      case 2: this.pos = this.delimited(); return;
      case 5: this.pos += 4; break;
      default: throw new MalformedInput(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new MalformedInput('truncated');
  }

  sub(end: number): ProtoReader {
    const reader = new ProtoReader(this.buf, this.pos, end);
    this.pos = end;
    return reader;
  }
}

/** Nanoseconds in two 32-bit words → whole microseconds, exactly (nanoseconds exceed 2^53). */
function micros(hi: number, lo: number): number {
  // hi·2^32 = hi·4294967·1000 + hi·296
  return hi * 4294967 + Math.floor((hi * 296 + lo) / 1000);
}

function int64(r: ProtoReader): number | string {
  const value = (r.hi | 0) * 4294967296 + r.lo;
  return Number.isSafeInteger(value) ? value : ((BigInt(r.hi | 0) << 32n) | BigInt(r.lo)).toString();
}

function anyValue(r: ProtoReader, key: string, depth: number): KeyValue {
  let out: KeyValue = { key, type: 'string', value: '' };
  while (r.more) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 2) out = { key, type: 'string', value: r.string() };
    else if (field === 2 && wire === 0) {
      r.varint64();
      out = { key, type: 'bool', value: r.lo !== 0 };
    } else if (field === 3 && wire === 0) {
      r.varint64();
      out = { key, type: 'int64', value: int64(r) };
    } else if (field === 4 && wire === 1) out = { key, type: 'float64', value: r.double() };
    else if ((field === 5 || field === 6) && wire === 2) {
      // Arrays and maps have no Jaeger tag type: shown as JSON, as Jaeger does.
      const end = r.delimited();
      out = { key, type: 'string', value: JSON.stringify(composite(r.sub(end), field === 6, depth + 1)) };
    } else if (field === 7 && wire === 2) {
      const end = r.delimited();
      out = { key, type: 'binary', value: r.buf.toString('base64', r.pos, end) };
      r.pos = end;
    } else r.skip(wire);
  }
  return out;
}

function composite(r: ProtoReader, isMap: boolean, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new MalformedInput('nested too deep');
  const items: unknown[] = [];
  const map: Record<string, unknown> = {};
  while (r.more) {
    const tag = r.varint32();
    if (tag >>> 3 === 1 && (tag & 7) === 2) {
      const end = r.delimited();
      if (isMap) {
        const kv = keyValue(r.sub(end), depth);
        map[kv.key] = kv.value;
      } else items.push(anyValue(r.sub(end), '', depth).value);
    } else r.skip(tag & 7);
  }
  return isMap ? map : items;
}

function keyValue(r: ProtoReader, depth = 0): KeyValue {
  let key = '';
  let value: KeyValue | undefined;
  while (r.more) {
    const tag = r.varint32();
    if (tag === (1 << 3 | 2)) key = r.string();
    else if (tag === (2 << 3 | 2)) value = anyValue(r.sub(r.delimited()), '', depth);
    else r.skip(tag & 7);
  }
  return value === undefined ? { key, type: 'string', value: '' } : { key, type: value.type, value: value.value };
}

function attributesInto(list: KeyValue[], r: ProtoReader): void {
  list.push(keyValue(r.sub(r.delimited())));
}

function event(r: ProtoReader): SpanLog {
  let time = 0;
  let name = '';
  const attributes: KeyValue[] = [];
  while (r.more) {
    const tag = r.varint32();
    if (tag === (1 << 3 | 1)) {
      r.fixed64();
      time = micros(r.hi, r.lo);
    } else if (tag === (2 << 3 | 2)) name = r.string();
    else if (tag === (3 << 3 | 2)) attributesInto(attributes, r);
    else r.skip(tag & 7);
  }
  return eventLog(time, name, attributes);
}

function link(r: ProtoReader): OtlpSpanParts['links'][number] {
  const out = { traceID: '', spanID: '', attributes: [] as KeyValue[] };
  while (r.more) {
    const tag = r.varint32();
    if (tag === (1 << 3 | 2)) out.traceID = r.hex();
    else if (tag === (2 << 3 | 2)) out.spanID = r.hex();
    else if (tag === (4 << 3 | 2)) attributesInto(out.attributes, r);
    else r.skip(tag & 7);
  }
  return out;
}

function span(r: ProtoReader): OtlpSpanParts {
  const parts: OtlpSpanParts = {
    traceID: '', spanID: '', parentSpanID: '', name: '', kind: 0, startMicros: 0, endMicros: 0, attributes: [],
    events: [], links: [], statusCode: 0, statusMessage: '', flags: 0,
  };
  while (r.more) {
    const tag = r.varint32();
    switch (tag) {
      case 1 << 3 | 2: parts.traceID = r.hex(); break;
      case 2 << 3 | 2: parts.spanID = r.hex(); break;
      case 4 << 3 | 2: parts.parentSpanID = r.hex(); break;
      case 5 << 3 | 2: parts.name = r.string(); break;
      case 6 << 3 | 0: parts.kind = r.varint32(); break;
      case 7 << 3 | 1: r.fixed64(); parts.startMicros = micros(r.hi, r.lo); break;
      case 8 << 3 | 1: r.fixed64(); parts.endMicros = micros(r.hi, r.lo); break;
      case 9 << 3 | 2: attributesInto(parts.attributes, r); break;
      case 11 << 3 | 2: parts.events.push(event(r.sub(r.delimited()))); break;
      case 13 << 3 | 2: parts.links.push(link(r.sub(r.delimited()))); break;
      case 15 << 3 | 2: {
        const status = r.sub(r.delimited());
        while (status.more) {
          const statusTag = status.varint32();
          if (statusTag === (2 << 3 | 2)) parts.statusMessage = status.string();
          else if (statusTag === (3 << 3 | 0)) parts.statusCode = status.varint32();
          else status.skip(statusTag & 7);
        }
        break;
      }
      case 16 << 3 | 5: parts.flags = r.fixed32(); break;
      default: r.skip(tag & 7);
    }
  }
  if (parts.traceID.length !== 32 || parts.spanID.length !== 16) throw new MalformedInput('span without valid ids');
  if (parts.parentSpanID.length !== 16) parts.parentSpanID = '';
  return parts;
}

function scope(r: ProtoReader): OtlpScope {
  const out = { name: '', version: '' };
  while (r.more) {
    const tag = r.varint32();
    if (tag === (1 << 3 | 2)) out.name = r.string();
    else if (tag === (2 << 3 | 2)) out.version = r.string();
    else r.skip(tag & 7);
  }
  return out;
}

function resourceSpans(r: ProtoReader, out: ViewerSpan[]): void {
  const resource: KeyValue[] = [];
  const scopes: { scope: OtlpScope; spans: OtlpSpanParts[] }[] = [];
  while (r.more) {
    const tag = r.varint32();
    if (tag === (1 << 3 | 2)) {
      const res = r.sub(r.delimited());
      while (res.more) {
        const resTag = res.varint32();
        if (resTag === (1 << 3 | 2)) attributesInto(resource, res);
        else res.skip(resTag & 7);
      }
    } else if (tag === (2 << 3 | 2)) {
      const scopeSpans = r.sub(r.delimited());
      const entry = { scope: { name: '', version: '' }, spans: [] as OtlpSpanParts[] };
      while (scopeSpans.more) {
        const scopeTag = scopeSpans.varint32();
        if (scopeTag === (1 << 3 | 2)) entry.scope = scope(scopeSpans.sub(scopeSpans.delimited()));
        else if (scopeTag === (2 << 3 | 2)) entry.spans.push(span(scopeSpans.sub(scopeSpans.delimited())));
        else scopeSpans.skip(scopeTag & 7);
      }
      scopes.push(entry);
    } else r.skip(tag & 7);
  }
  // The resource may come after its spans on the wire: spans are built once it is known.
  const process = processOf(resource);
  for (const entry of scopes) for (const parts of entry.spans) out.push(toViewerSpan(parts, process, entry.scope));
}

export function decodeOtlpProto(body: Buffer): ViewerSpan[] {
  const r = new ProtoReader(body, 0, body.length);
  const out: ViewerSpan[] = [];
  while (r.more) {
    const tag = r.varint32();
    if (tag === (1 << 3 | 2)) resourceSpans(r.sub(r.delimited()), out);
    else r.skip(tag & 7);
  }
  return out;
}
