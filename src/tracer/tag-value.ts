// What a span keeps of a tag or log value. Primitives are kept (strings cut to the limit); any
// object is turned into a bounded snapshot when it is recorded, not when it is exported: the span
// then neither holds the user's object graph until the next flush nor records what it became
// after a later mutation, and rendering never walks more of a huge object than the limit needs
// (JSON.stringify of a 50 MB object would block the event loop, then be cut to 4 KB).

/** Nesting deeper than this renders as a placeholder. */
const MAX_DEPTH = 10;

/** The bounded form of `value` a span records; never throws. */
export function boundTagValue(value: unknown, max: number): unknown {
  switch (typeof value) {
    case 'string':
      return value.length > max ? value.slice(0, max) : value;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return value;
    default:
      return value === null ? null : snapshot(value, max);
  }
}

function snapshot(value: unknown, max: number): unknown {
  try {
    if (typeof value === 'symbol') return cut(value.toString(), max);
    if (typeof value === 'function') return `[function ${value.name === '' ? 'anonymous' : cut(value.name, max)}]`;
    // a copy (Buffer#slice would be a view)
    if (value instanceof Uint8Array) return Uint8Array.prototype.slice.call(value, 0, max);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, Math.min(value.byteLength, max)).slice();
    return (Array.isArray(value) ? primitiveArray(value, max) : undefined) ?? renderBounded(value, max);
  } catch {
    return '[unprintable object]';
  }
}

function isPrimitive(item: unknown): boolean {
  const type = typeof item;
  return item === null || type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint' || type === 'undefined';
}

/**
 * An array of primitives stays an array (OTLP has array values), its items kept while they fit;
 * undefined when a kept item is not a primitive. Reads no further than the limit (`new Array(1e9)`
 * costs what 512 items do).
 */
function primitiveArray(items: readonly unknown[], max: number): unknown[] | undefined {
  const out: unknown[] = [];
  let budget = max;
  for (let i = 0; i < items.length && budget > 0; i++) {
    const item = items[i];
    if (!isPrimitive(item)) return undefined;
    if (typeof item === 'string') {
      out.push(item.length > budget ? item.slice(0, budget) : item);
      budget -= item.length + 1;
    } else {
      out.push(item);
      budget -= 8;
    }
  }
  return out;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/**
 * A readable string of `value` of at most `max` characters: JSON for plain data (what
 * JSON.stringify would give, when it fits), `Name: message` for errors, `[Circular]` for cycles.
 * Stops walking as soon as `max` characters are written. Never throws.
 */
export function renderBounded(value: unknown, max: number): string {
  if (value instanceof Error) return cut(errorText(value), max);
  const writer = new BoundedWriter(max);
  try {
    writer.value(value, 0, []);
  } catch {
    return '[unprintable object]'; // a throwing getter, toJSON or proxy trap
  }
  return cut(writer.text, max);
}

function errorText(error: Error): string {
  try {
    return `${String(error.name)}: ${String(error.message)}`;
  } catch {
    return '[unprintable error]';
  }
}

class BoundedWriter {
  text = '';
  constructor(private readonly max: number) {}

  get full(): boolean {
    return this.text.length >= this.max;
  }

  write(part: string): void {
    this.text += part;
  }

  value(value: unknown, depth: number, ancestors: object[], replaced = false): void {
    if (this.full) return;
    switch (typeof value) {
      case 'string':
        this.write(JSON.stringify(cut(value, this.max - this.text.length)));
        return;
      case 'number':
        this.write(Number.isFinite(value) ? String(value) : 'null');
        return;
      case 'boolean':
        this.write(String(value));
        return;
      case 'bigint':
        this.write(JSON.stringify(value.toString()));
        return;
      case 'object':
        if (value === null) {
          this.write('null');
          return;
        }
        this.object(value, depth, ancestors, replaced);
        return;
      default:
        this.write('null'); // undefined, functions, symbols: what JSON does inside arrays
    }
  }

  private object(value: object, depth: number, ancestors: object[], replaced: boolean): void {
    if (ancestors.includes(value)) {
      this.write('"[Circular]"');
      return;
    }
    if (value instanceof Error) {
      this.write(JSON.stringify(cut(errorText(value), this.max)));
      return;
    }
    const toJSON = replaced ? undefined : (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      // once, as JSON does: a toJSON returning another object with a toJSON cannot loop
      this.value(toJSON.call(value), depth, ancestors, true);
      return;
    }
    if (depth >= MAX_DEPTH) {
      this.write(Array.isArray(value) ? '"[Array]"' : '"[Object]"');
      return;
    }
    ancestors.push(value);
    if (Array.isArray(value)) {
      this.write('[');
      for (let i = 0; i < value.length && !this.full; i++) {
        if (i > 0) this.write(',');
        this.value(value[i], depth + 1, ancestors);
      }
      this.write(']');
    } else {
      this.write('{');
      let first = true;
      // for-in, not Object.keys: stops early on an object with a million keys
      for (const key in value) {
        if (this.full) break;
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        const item: unknown = (value as Record<string, unknown>)[key];
        const type = typeof item;
        if (type === 'undefined' || type === 'function' || type === 'symbol') continue;
        if (!first) this.write(',');
        first = false;
        this.write(`${JSON.stringify(cut(key, this.max))}:`);
        this.value(item, depth + 1, ancestors);
      }
      this.write('}');
    }
    ancestors.pop();
  }
}
