import { debuglog } from 'node:util';
import type { Logger } from './types.js';

const debug = debuglog('opentracing-async-instrumentation');

/** Writes warnings to stderr with a recognisable prefix; debug lines need NODE_DEBUG. */
export const defaultLogger: Required<Logger> = {
  info: (message) => debug(message),
  warn: (message) => process.stderr.write(`[opentracing-async-instrumentation] ${message}\n`),
  error: (message) => process.stderr.write(`[opentracing-async-instrumentation] ${message}\n`),
};

/**
 * Reports each distinct instrumentation fault once (by key) and counts all of them, so a fault on
 * a hot path neither floods the log nor goes unseen.
 */
export class FaultLog {
  private readonly seen = new Set<string>();
  count = 0;
  constructor(private readonly logger: Logger = defaultLogger) {}

  report(key: string, error: unknown): void {
    let message: string;
    try {
      message = `${key}: ${error instanceof Error ? error.message : String(error)}`;
    } catch {
      message = key;
    }
    this.note(key, message);
  }

  /** Like `report`, with the whole line given: for messages that already say where they come from. */
  note(key: string, message: string): void {
    this.count++;
    if (this.seen.has(key) || this.seen.size > 1000) return;
    this.seen.add(key);
    try {
      (this.logger.error ?? this.logger.warn)?.call(this.logger, message);
    } catch {
      // a user logger that throws must not break the caller
    }
  }
}
