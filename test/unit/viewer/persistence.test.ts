import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreFileWriter, loadStoreFile } from '../../../src/viewer/persistence.js';
import { TraceStore } from '../../../src/viewer/store.js';
import { makeSpan, traceId } from './span-fixture.js';

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'viewer-persist-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

describe('--store file', () => {
  it('reads back every batch, skips unreadable lines (a torn tail, a line that is not spans), and appends on a fresh line', withDir(async (dir) => {
    const file = join(dir, 'store.jsonl');
    const first = new TraceStore({ maxSpans: 100, maxBytes: 1e9 });
    const writer = new StoreFileWriter(file, first);
    const a = makeSpan({ traceID: traceId(1) });
    const b = makeSpan({ traceID: traceId(1), parentSpanID: a.spanID });
    const c = makeSpan({ traceID: traceId(2) });
    writer.append([a]);
    writer.append([b, c]);
    await writer.close();
    appendFileSync(file, '{"not":"spans"}\n[{"traceID":"tor');

    const second = new TraceStore({ maxSpans: 100, maxBytes: 1e9 });
    assert.deepEqual(loadStoreFile(file, second), { spans: 3, skippedLines: 2 });
    assert.equal(second.get(traceId(1))!.spans.length, 2);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /tor/, 'rewritten without the unreadable lines');
    const again = new StoreFileWriter(file, second);
    again.append([makeSpan({ traceID: traceId(3) })]);
    await again.close();
    const third = new TraceStore({ maxSpans: 100, maxBytes: 1e9 });
    assert.deepEqual(loadStoreFile(file, third), { spans: 4, skippedLines: 0 });
  }));

  it('a torn last line does not swallow the next batch', withDir(async (dir) => {
    const file = join(dir, 'torn.jsonl');
    writeFileSync(file, `${JSON.stringify([makeSpan({ traceID: traceId(1) })])}\n[{"trace`);
    const writer = new StoreFileWriter(file, new TraceStore({ maxSpans: 100, maxBytes: 1e9 }));
    writer.append([makeSpan({ traceID: traceId(2) })]);
    await writer.close();
    const store = new TraceStore({ maxSpans: 100, maxBytes: 1e9 });
    assert.deepEqual(loadStoreFile(file, store), { spans: 2, skippedLines: 1 });
  }));

  it('stays bounded: rewritten from the store once it has doubled', withDir(async (dir) => {
    const file = join(dir, 'bounded.jsonl');
    const store = new TraceStore({ maxSpans: 20, maxBytes: 1e9 });
    const writer = new StoreFileWriter(file, store, 64 * 1024);
    for (let n = 0; n < 2000; n++) {
      const spans = [makeSpan({ traceID: traceId(n), tags: [{ key: 'payload', type: 'string', value: 'x'.repeat(200) }] })];
      store.add(spans);
      writer.append(spans);
      if (n % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.close();
    assert.ok(writer.compactions > 0);
    assert.ok(statSync(file).size < 256 * 1024, `file is ${statSync(file).size} bytes`);
    const loaded = new TraceStore({ maxSpans: 20, maxBytes: 1e9 });
    loadStoreFile(file, loaded);
    assert.ok(loaded.get(traceId(1999)) !== undefined, 'the newest trace survives compaction');
  }));
});
