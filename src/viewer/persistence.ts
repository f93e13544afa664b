// `--store FILE`: every accepted batch is appended to FILE as one JSON line, so traces survive a
// restart. Loading skips lines that do not parse (a crash mid-write leaves a torn last line) and
// rewrites the file from what the store kept when it has grown well past the store's limits.
import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, writeFileSync, createWriteStream, fstatSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type { ViewerSpan } from './model.js';
import type { TraceStore } from './store.js';

export interface LoadResult {
  spans: number;
  skippedLines: number;
}

function isSpan(value: unknown): value is ViewerSpan {
  if (value === null || typeof value !== 'object') return false;
  const span = value as Record<string, unknown>;
  return typeof span['traceID'] === 'string' && typeof span['spanID'] === 'string' && typeof span['operationName'] === 'string' &&
    typeof span['startTime'] === 'number' && typeof span['duration'] === 'number' && Array.isArray(span['tags']) &&
    Array.isArray(span['logs']) && Array.isArray(span['references']) && typeof span['parentSpanID'] === 'string' &&
    span['process'] !== null && typeof span['process'] === 'object';
}

export function loadStoreFile(file: string, store: TraceStore): LoadResult {
  const result: LoadResult = { spans: 0, skippedLines: 0 };
  if (!existsSync(file)) return result;
  let lines = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    lines++;
    try {
      const batch = JSON.parse(line) as unknown;
      if (!Array.isArray(batch) || !batch.every(isSpan)) throw new Error('not a batch of spans');
      store.add(batch);
      result.spans += batch.length;
    } catch {
      result.skippedLines++;
    }
  }
  if (result.skippedLines > 0 || store.evictedTraces > 0 || lines > store.traceCount * 4 + 16) rewrite(file, store);
  return result;
}

/** Replaces the file with the store's content, one line per trace, through a rename. */
function rewrite(file: string, store: TraceStore): void {
  const lines: string[] = [];
  for (const trace of store.all()) lines.push(JSON.stringify(trace.spans));
  writeFileSync(`${file}.tmp`, lines.length > 0 ? lines.join('\n') + '\n' : '');
  renameSync(`${file}.tmp`, file);
}

export class StoreFileWriter {
  private readonly stream: WriteStream;
  writeErrors = 0;

  constructor(file: string) {
    // A torn last line would swallow the next batch: start on a fresh line.
    if (existsSync(file)) {
      const fd = openSync(file, 'r');
      try {
        const size = fstatSync(fd).size;
        const last = Buffer.alloc(1);
        if (size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) writeFileSync(file, '\n', { flag: 'a' });
      } finally {
        closeSync(fd);
      }
    }
    this.stream = createWriteStream(file, { flags: 'a' });
    this.stream.on('error', () => {
      this.writeErrors++;
    });
  }

  append(spans: readonly ViewerSpan[]): void {
    if (spans.length > 0 && !this.stream.destroyed) this.stream.write(JSON.stringify(spans) + '\n');
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stream.destroyed) resolve();
      else this.stream.end(() => resolve());
    });
  }
}
