import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from './span.js';

// One store for the whole process, even when both the ESM and the CommonJS builds of this package
// are loaded (the dual-package hazard): otherwise a span made active by one copy would be invisible
// to the other.
const KEY = Symbol.for('opentracing-async-instrumentation.activeSpanStore');
type Holder = { [KEY]?: AsyncLocalStorage<Span | null> };
const holder = globalThis as Holder;

export const spanStore: AsyncLocalStorage<Span | null> = (holder[KEY] ??= new AsyncLocalStorage<Span | null>());
