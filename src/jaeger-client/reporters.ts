import { InMemoryReporter as MemoryStore } from '../reporting/memory.js';
import { defaultLogger } from '../tracer/logger.js';
import type { Span } from '../tracer/span.js';
import type { Logger, Reporter } from '../tracer/types.js';

// jaeger-client's reporter classes with its constructor signatures. Each is also one of our
// Reporters (report, flush() and close() promises), so either tracer API drives it; `close(cb)`
// and `flush(cb)` call back when done, as jaeger-client's do.

export type Callback = (() => void) | undefined;

/** Marks this folder's reporter classes: their flush() and close() return promises (ours do). */
export const PROMISES = Symbol('reporter returning promises');

export type ProcessTags = Readonly<Record<string, unknown>> | readonly { key: string; value: unknown }[];

/** Calls `callback` once `work` is done; a throw from it surfaces as from any Node callback, not as a rejection. */
export function after(work: Promise<void>, callback: Callback): Promise<void> {
  if (typeof callback === 'function') {
    void work.then(() => {
      try {
        callback();
      } catch (error) {
        process.nextTick(() => {
          throw error;
        });
      }
    });
  }
  return work;
}

/** jaeger-client's `setProcess` tags come as `[{ key, value }]`; ours as an object. */
export function tagObject(tags: ProcessTags | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const add = (key: string, value: unknown): void => {
    if (key === '') return;
    out[key] = typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
  };
  if (Array.isArray(tags)) for (const tag of tags as { key: string; value: unknown }[]) add(tag.key, tag.value);
  else if (tags !== undefined && tags !== null) for (const [key, value] of Object.entries(tags)) add(key, value);
  return out;
}

/** A reporter as jaeger-client knows one: `report(span)`, `close(callback)`, maybe `flush` and `setProcess`. */
export interface JaegerStyleReporter {
  report(span: Span): void;
  close?(callback?: () => void): unknown;
  flush?(callback?: () => void): unknown;
  setProcess?(serviceName: string, tags: ProcessTags): void;
}

/** Completes when `method(callback)` calls back or its returned promise settles, whichever comes first. */
function settle(method: ((callback?: () => void) => unknown) | undefined, owner: object): Promise<void> {
  if (typeof method !== 'function') return Promise.resolve();
  return new Promise<void>((resolve) => {
    try {
      const result = method.call(owner, () => resolve()) as PromiseLike<unknown> | undefined;
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') result.then(() => resolve(), () => resolve());
      else if (method.length === 0) resolve();
    } catch {
      resolve();
    }
  });
}

/** Drives a jaeger-client-style reporter (a user's own) through our Reporter interface. */
export function asReporter(reporter: JaegerStyleReporter): Reporter {
  const ours = reporter as Partial<Reporter>;
  const compat = (reporter as { [PROMISES]?: boolean })[PROMISES] === true;
  // Ours take no callback and return promises; jaeger-client's take `close(callback)`.
  if (compat || (typeof ours.flush === 'function' && typeof ours.close === 'function' && ours.close.length === 0)) return reporter as Reporter;
  return {
    report: (span) => reporter.report(span),
    flush: () => settle(reporter.flush, reporter),
    close: () => settle(reporter.close, reporter),
    stats: () => (typeof ours.stats === 'function' ? ours.stats.call(reporter) : {}),
  };
}

/** `new CompositeReporter([reporters])`: every span to each. */
export class CompositeReporter implements Reporter {
  readonly [PROMISES] = true;
  private readonly reporters: Reporter[];

  constructor(private readonly given: JaegerStyleReporter[]) {
    if (!Array.isArray(given)) throw new TypeError('CompositeReporter: pass an array of reporters');
    this.reporters = given.map(asReporter);
  }

  name(): string {
    return 'CompositeReporter';
  }

  toString(): string {
    return `CompositeReporter(${this.given.map((reporter) => String(reporter)).join(',')})`;
  }

  setProcess(serviceName: string, tags: ProcessTags): void {
    for (const reporter of this.given) reporter.setProcess?.(serviceName, tags);
  }

  report(span: Span): void {
    for (const reporter of this.reporters) reporter.report(span);
  }

  flush(callback?: Callback): Promise<void> {
    return after(Promise.all(this.reporters.map((reporter) => reporter.flush())).then(() => undefined), callback);
  }

  close(callback?: Callback): Promise<void> {
    return after(Promise.all(this.reporters.map((reporter) => reporter.close())).then(() => undefined), callback);
  }
}

/** `new InMemoryReporter()`: finished spans in `spans` until `clear()`, for unit tests. */
export class InMemoryReporter implements Reporter {
  readonly [PROMISES] = true;
  private readonly store = new MemoryStore();

  /** Finished, sampled spans in finish order. */
  get spans(): Span[] {
    return this.store.finishedSpans() as Span[];
  }

  name(): string {
    return 'InMemoryReporter';
  }

  toString(): string {
    return this.name();
  }

  setProcess(): void {}

  report(span: Span): void {
    this.store.report(span);
  }

  clear(): void {
    this.store.clear();
  }

  flush(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }

  close(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }

  stats(): Record<string, number> {
    return this.store.stats();
  }
}

/** `new LoggingReporter(logger)`: logs `Reporting span <trace:span:parent:flags>` at info for each span. */
export class LoggingReporter implements Reporter {
  readonly [PROMISES] = true;
  private readonly logger: Logger;

  constructor(logger?: Logger) {
    this.logger = logger ?? defaultLogger;
  }

  name(): string {
    return 'LoggingReporter';
  }

  toString(): string {
    return this.name();
  }

  setProcess(): void {}

  report(span: Span): void {
    this.logger.info?.(`Reporting span ${span.context().toString()}`);
  }

  flush(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }

  close(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }
}

/** `new NoopReporter()`: drops every span. */
export class NoopReporter implements Reporter {
  readonly [PROMISES] = true;
  name(): string {
    return 'NoopReporter';
  }

  toString(): string {
    return this.name();
  }

  setProcess(): void {}

  report(): void {}

  flush(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }

  close(callback?: Callback): Promise<void> {
    return after(Promise.resolve(), callback);
  }
}
