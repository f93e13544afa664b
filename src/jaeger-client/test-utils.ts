import type { Span } from '../tracer/span.js';

/** The span's tags as an object (the last value of a key wins). */
function tagsOf(span: Span): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const tags = span.tags;
  for (let i = 0; i < tags.length; i += 2) out[tags[i] as string] = tags[i + 1];
  return out;
}

/** jaeger-client's `TestUtils` for unit tests on finished spans (e.g. from an InMemoryReporter). */
export const TestUtils = {
  /** True when the span has every one of `expectedTags` with exactly that value. */
  hasTags(span: Span, expectedTags: Record<string, unknown>): boolean {
    const actual = tagsOf(span);
    for (const key of Object.keys(expectedTags)) {
      if (!Object.prototype.hasOwnProperty.call(actual, key) || actual[key] !== expectedTags[key]) return false;
    }
    return true;
  },

  /** The span's tags, or only those named in `keys`. */
  getTags(span: Span, keys?: string[]): Record<string, unknown> {
    const actual = tagsOf(span);
    if (keys === undefined) return actual;
    const out: Record<string, unknown> = {};
    for (const key of keys) if (Object.prototype.hasOwnProperty.call(actual, key)) out[key] = actual[key];
    return out;
  },
};
