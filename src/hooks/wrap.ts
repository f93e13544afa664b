// Replacing a library function without anyone noticing: the wrapper carries the original's name,
// length, prototype and own properties, and remembers the original so it can be put back.

const ORIGINAL = Symbol.for('opentracing-async-instrumentation.original');

type AnyFunction = (this: unknown, ...args: never[]) => unknown;
type Wrapped<F> = F & { [ORIGINAL]?: F };

/** Gives `wrapper` every own property of `original` (name, length, prototype, statics). */
export function disguise<F extends AnyFunction>(wrapper: F, original: F): F {
  for (const key of Reflect.ownKeys(original)) {
    const descriptor = Object.getOwnPropertyDescriptor(original, key)!;
    try {
      Object.defineProperty(wrapper, key, descriptor);
    } catch {
      // a non-configurable property the wrapper already has (e.g. a class's prototype): keep it
    }
  }
  Object.defineProperty(wrapper, ORIGINAL, { value: original, configurable: true });
  return wrapper;
}

/** The function `fn` wraps, or undefined when `fn` is not one of our wrappers. */
export function originalOf<F>(fn: F): F | undefined {
  return typeof fn === 'function' ? (fn as Wrapped<F>)[ORIGINAL] : undefined;
}

export function isWrapped(fn: unknown): boolean {
  return originalOf(fn) !== undefined;
}

/**
 * Replaces `target[key]` by `makeWrapper(original)` unless it is already wrapped; returns a
 * function that puts the original back (only if nobody replaced our wrapper in the meantime).
 */
export function replaceMethod<T extends object, K extends keyof T>(
  target: T,
  key: K,
  makeWrapper: (original: T[K] & AnyFunction) => T[K] & AnyFunction,
): () => void {
  const original = target[key];
  if (typeof original !== 'function' || isWrapped(original)) return () => {};
  const wrapper = disguise(makeWrapper(original as T[K] & AnyFunction), original as T[K] & AnyFunction);
  target[key] = wrapper;
  return () => {
    if (target[key] === wrapper) target[key] = original;
  };
}
