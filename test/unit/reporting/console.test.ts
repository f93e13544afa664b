import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initTracer } from '../../../src/config/init.js';
import { InMemoryReporter } from '../../../src/reporting/memory.js';
import { ConsoleExporter } from '../../../src/reporting/console.js';
import { formatDuration } from '../../../src/reporting/console-tree.js';
import type { Span } from '../../../src/tracer/span.js';

const T = 1_700_000_000_000;

function traceSpans(): Span[] {
  const reporter = new InMemoryReporter();
  const tracer = initTracer({ serviceName: 'shop', global: false }, { reporter });
  const root = tracer.startSpan('GET /cart', { startTime: T });
  const db = tracer.startSpan('SELECT cart', { childOf: root, startTime: T + 10 });
  const cache = tracer.startSpan('cache get', { childOf: db, startTime: T + 20 });
  cache.finish(T + 30);
  db.setTag('error', true);
  db.finish(T + 60);
  const render = tracer.startSpan('render', { childOf: root, startTime: T + 70 });
  render.finish(T + 90);
  root.finish(T + 100);
  const other = tracer.startSpan('background job', { startTime: T + 5 });
  other.finish(T + 5.25);
  return [...reporter.finishedSpans()];
}

describe('ConsoleExporter', () => {
  test('prints each trace as an indented tree with durations and proportional bars', async () => {
    const written: string[] = [];
    const exporter = new ConsoleExporter({ serviceName: 'shop' }, (text) => written.push(text));
    const spans = traceSpans();
    const result = await exporter.export(spans);
    assert.deepEqual(result, { sent: spans.length, droppedTooLarge: 0, failed: 0 });
    assert.equal(written.length, 1, 'one write per batch');
    const traces = written[0]!.trimEnd().split('\n\n');
    assert.equal(traces.length, 2);

    const lines = traces[0]!.split('\n');
    assert.match(lines[0]!, /^trace [0-9a-f]{32} · shop · 4 spans · 100\.00 ms$/);
    const rows = lines.slice(1).map((line) => /^ {2}(.*?)\s*\|(.{30})\| +(\S+ \S+)( {2}.+)?$/u.exec(line));
    assert.ok(rows.every((row) => row !== null), lines.join('\n'));
    assert.deepEqual(rows.map((row) => row![1]), ['GET /cart', '  SELECT cart', '    cache get', '  render']);
    assert.deepEqual(rows.map((row) => row![3]), ['100.00 ms', '50.00 ms', '10.00 ms', '20.00 ms']);
    assert.deepEqual(rows.map((row) => row![4]), [undefined, '  error', undefined, undefined]);
    const bars = rows.map((row) => row![2]!);
    assert.equal(bars[0], '█'.repeat(30), 'the root spans the whole trace');
    assert.equal(bars[1], `${' '.repeat(3)}${'█'.repeat(15)}${' '.repeat(12)}`, 'SELECT: 10-60 of 100 ms');
    assert.equal(bars[2], `${' '.repeat(6)}${'█'.repeat(3)}${' '.repeat(21)}`, 'cache: 20-30 of 100 ms');
    assert.equal(bars[3], `${' '.repeat(21)}${'█'.repeat(6)}${' '.repeat(3)}`, 'render: 70-90 of 100 ms');

    assert.match(traces[1]!, /^trace [0-9a-f]{32} · shop · 1 span · 250 µs\n {2}background job \|█{30}\| +250 µs$/);
  });

  test('the useful tags, compactly: status, URL, peer, caller, the error message', async () => {
    const written: string[] = [];
    const exporter = new ConsoleExporter({ serviceName: 'shop' }, (text) => written.push(text));
    const reporter = new InMemoryReporter();
    const tracer = initTracer({ serviceName: 'shop', global: false }, { reporter });
    const server = tracer.startSpan('GET /items/:id', { startTime: T, tags: {
      'http.status_code': 200, 'http.url': '/items/42', 'peer.ipv4': '10.0.0.7', 'peer.port': 51234, 'peer.service': 'web' } });
    const client = tracer.startSpan('GET', { childOf: server, startTime: T + 1, tags: {
      'http.url': 'http://stock:8080/stock/42', 'peer.hostname': 'stock', 'peer.port': 8080 } });
    client.recordError(new Error('connect ECONNREFUSED 10.0.0.9:8080'));
    client.finish(T + 2);
    server.finish(T + 3);
    await exporter.export(reporter.finishedSpans());
    const lines = written[0]!.split('\n');
    assert.match(lines[1]!, /\| +3\.00 ms {2}200 · \/items\/42 · peer 10\.0\.0\.7:51234 · from web$/);
    assert.match(lines[2]!, /\| +1\.00 ms {2}http:\/\/stock:8080\/stock\/42 · error: connect ECONNREFUSED 10\.0\.0\.9:8080$/);
  });

  test('every trace ends with one blank line, within a flush and across flushes alike', async () => {
    let output = '';
    const exporter = new ConsoleExporter({ serviceName: 'shop' }, (text) => { output += text; });
    const spans = traceSpans();
    await exporter.export(spans.slice(0, 4));
    await exporter.export(spans.slice(4));
    await exporter.export(spans);
    const blocks = output.split('\n\n');
    assert.equal(blocks.pop(), '', 'ends with a blank line');
    assert.equal(blocks.length, 4);
    for (const block of blocks) assert.match(block, /^trace [0-9a-f]{32} · shop · \d spans? · /);
    assert.doesNotMatch(output, /\n\n\n/);
  });

  test('spans whose parent is not in the batch are printed as roots', async () => {
    const written: string[] = [];
    const exporter = new ConsoleExporter({ serviceName: 'shop' }, (text) => written.push(text));
    const withoutRoot = traceSpans().filter((span) => span.operationName !== 'GET /cart' && span.operationName !== 'background job');
    await exporter.export(withoutRoot);
    const names = written[0]!.trimEnd().split('\n').slice(1).map((line) => line.split(' |')[0]!.trimEnd());
    // Each row starts with two spaces, then two more per level: SELECT and render are roots now.
    assert.deepEqual(names, ['  SELECT cart', '    cache get', '  render']);
  });

  test('a writer that throws counts the batch as failed and does not throw', async () => {
    const exporter = new ConsoleExporter({ serviceName: 'shop' }, () => { throw new Error('EPIPE'); });
    const spans = traceSpans();
    assert.deepEqual(await exporter.export(spans), { sent: 0, droppedTooLarge: 0, failed: spans.length });
  });

  test('durations read naturally', () => {
    assert.equal(formatDuration(0.0421), '42 µs');
    assert.equal(formatDuration(12.345), '12.35 ms');
    assert.equal(formatDuration(2500), '2.50 s');
  });
});
