// `--store FILE`: every accepted batch is appended to FILE as one JSON line, so traces survive a
// restart. Loading skips lines that do not parse (a crash mid-write leaves a torn last line) and
// rewrites the file from what the store kept when it has grown well past the store's limits.
import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync, createWriteStream, fstatSync } from 'node:fs';
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

/**
 * Appends accepted batches. The store forgets evicted traces but an append-only file would not:
 * when the file has doubled since it was last written whole (and passed `minCompactBytes`), it is
 * rewritten from the store, so it stays within about twice what the store keeps.
 */
export class StoreFileWriter {
  private stream: WriteStream;
  private fileBytes: number;
  private compactAt: number;
  private compacting = false;
  writeErrors = 0;
  compactions = 0;

  constructor(private readonly file: string, private readonly store: TraceStore, private readonly minCompactBytes = 8 * 1024 * 1024) {
    this.fileBytes = 0;
    // A torn last line would swallow the next batch: start on a fresh line.
    if (existsSync(file)) {
      const fd = openSync(file, 'r');
      try {
        this.fileBytes = fstatSync(fd).size;
        const last = Buffer.alloc(1);
        if (this.fileBytes > 0 && readSync(fd, last, 0, 1, this.fileBytes - 1) === 1 && last[0] !== 0x0a) writeFileSync(file, '\n', { flag: 'a' });
      } finally {
        closeSync(fd);
      }
    }
    this.compactAt = Math.max(minCompactBytes, this.fileBytes * 2);
    this.stream = this.open();
  }

  private open(): WriteStream {
    const stream = createWriteStream(this.file, { flags: 'a' });
    stream.on('error', () => {
      this.writeErrors++;
    });
    return stream;
  }

  append(spans: readonly ViewerSpan[]): void {
    // While compacting, the snapshot taken afterwards already holds these spans (they are stored first).
    if (spans.length === 0 || this.compacting || this.stream.destroyed) return;
    const line = JSON.stringify(spans) + '\n';
    this.stream.write(line);
    this.fileBytes += Buffer.byteLength(line);
    if (this.fileBytes > this.compactAt) this.compact();
  }

  private compact(): void {
    this.compacting = true;
    this.stream.end(() => {
      try {
        rewrite(this.file, this.store);
        this.fileBytes = statSync(this.file).size;
        this.compactions++;
      } catch {
        this.writeErrors++;
      }
      this.compactAt = Math.max(this.minCompactBytes, this.fileBytes * 2);
      this.stream = this.open();
      this.compacting = false;
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        if (this.stream.destroyed || this.stream.writableFinished) resolve();
        else this.stream.end(() => resolve());
      };
      if (!this.compacting) return finish();
      const wait = setInterval(() => {
        if (!this.compacting) {
          clearInterval(wait);
          finish();
        }
      }, 5);
    });
  }
}
