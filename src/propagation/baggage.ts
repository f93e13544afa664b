import type { Baggage } from '../tracer/span-context.js';

// W3C Baggage limits, applied to every baggage style, in and out, so that a hostile or runaway
// carrier costs bounded memory and an outgoing request never grows past what servers accept.
export const MAX_BAGGAGE_ITEMS = 180;
export const MAX_BAGGAGE_BYTES = 8192;

/** An HTTP token (RFC 9110): what a header name, or a W3C baggage key, may be made of. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Percent-decodes `text`; null when its escapes are malformed. */
export function percentDecode(text: string): string | null {
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** Percent-encodes `text`; null for a lone surrogate, which cannot be encoded. */
export function percentEncode(text: string): string | null {
  try {
    return encodeURIComponent(text);
  } catch {
    return null;
  }
}

function setItem(items: Record<string, string>, key: string, value: string): void {
  // A plain assignment to `__proto__` would replace the object's prototype instead.
  if (key === '__proto__') Object.defineProperty(items, key, { value, enumerable: true, writable: true, configurable: true });
  else items[key] = value;
}

/** Collects extracted baggage within the limits; formats read earlier take precedence. */
export class BaggageBuilder {
  private items: Record<string, string> | null = null;
  private count = 0;
  private bytes = 0;
  private earlierKeys: Set<string> | null = null;

  get isFull(): boolean {
    return this.count >= MAX_BAGGAGE_ITEMS || this.bytes >= MAX_BAGGAGE_BYTES;
  }

  /** Adds (or replaces) an item; false once a limit is reached. */
  add(key: string, value: string): boolean {
    const items = (this.items ??= {});
    const exists = Object.prototype.hasOwnProperty.call(items, key);
    const size = key.length + value.length;
    if (!exists && (this.count >= MAX_BAGGAGE_ITEMS || this.bytes + size > MAX_BAGGAGE_BYTES)) return false;
    if (!exists) {
      this.count++;
      this.bytes += size;
    }
    setItem(items, key, value);
    return true;
  }

  /**
   * Adds an item from a lower-priority format unless an earlier format already has the key in any
   * case: HTTP lowercases `uberctx-userId` to `uberctx-userid`, while `baggage` keeps `userId`.
   */
  addFallback(key: string, value: string): boolean {
    if (this.items !== null && this.count > 0) {
      this.earlierKeys ??= new Set(Object.keys(this.items).map((k) => k.toLowerCase()));
      if (this.earlierKeys.has(key.toLowerCase())) return true;
    }
    return this.add(key, value);
  }

  result(): Baggage | null {
    return this.items;
  }
}
