// Every public method of the tracer and its spans, called with random argument shapes (seeded, so a
// failure replays), must not throw once the tracer exists: "nothing the tracer does throws into your code".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as opentracing from 'opentracing';
import { initTracer } from '../../../src/config/init.js';
import { InMemoryReporter } from '../../../src/reporting/memory.js';
import type { Span } from '../../../src/tracer/span.js';
import type { Tracer } from '../../../src/tracer/tracer.js';

/** mulberry32: small, seeded, good enough to pick shapes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shapes(random: () => number, tracer: Tracer, span: Span, depth = 0): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const leaf = (): unknown => pick<() => unknown>([
    () => null, () => undefined, () => 0, () => -1, () => NaN, () => Infinity, () => 1e300, () => '', () => 'x',
    () => 'ä'.repeat(5000), () => true, () => false, () => 10n, () => Symbol('s'), () => () => 1, () => ({}),
    () => [], () => Object.create(null) as object, () => new Date(NaN), () => new Error('e'), () => new Map([[1, 2]]),
    () => new Uint8Array(3), () => ({ toString: () => { throw new Error('no string'); } }), () => ({ traceWords: [], spanIdLo: 1 }),
    () => span, () => span.context(), () => tracer, () => opentracing.childOf(span.context()), () => 'http_headers', () => 'text_map',
    () => ({ 'uber-trace-id': 'garbage', traceparent: '00-zz' }), () => ({ __proto__: null, a: 1 }),
  ])();
  if (depth > 2 || random() < 0.6) return leaf();
  if (random() < 0.3) return Array.from({ length: Math.floor(random() * 4) }, () => shapes(random, tracer, span, depth + 1));
  const object: Record<string, unknown> = {};
  const keys = ['childOf', 'references', 'tags', 'startTime', 'ignoreActiveSpan', 'event', 'a', '__proto__', 'constructor'];
  for (let i = Math.floor(random() * 5); i > 0; i--) object[pick(keys)] = shapes(random, tracer, span, depth + 1);
  return object;
}

test('every public method tolerates random arguments (seeded fuzz)', async () => {
  const reporter = new InMemoryReporter();
  const errors: string[] = [];
  const tracer = initTracer({ serviceName: 'fuzz', global: false }, { reporter, logger: { error: (m) => errors.push(m), warn: (m) => errors.push(m) } });
  const seed = Number(process.env['FUZZ_SEED'] ?? 20261203);
  const random = prng(seed);
  const root = tracer.startSpan('root');
  const tracerMethods = ['startSpan', 'startActiveSpan', 'activeSpan', 'withSpan', 'inject', 'extract', 'stats'] as const;
  const spanMethods = ['context', 'tracer', 'setOperationName', 'setTag', 'addTags', 'log', 'logEvent', 'setBaggageItem',
    'getBaggageItem', 'getTag', 'recordError', 'finish'] as const;
  let calls = 0;
  for (let round = 0; round < 3000; round++) {
    const args = Array.from({ length: Math.floor(random() * 4) }, () => shapes(random, tracer, root));
    const onTracer = random() < 0.4;
    const method = onTracer ? tracerMethods[Math.floor(random() * tracerMethods.length)]! : spanMethods[Math.floor(random() * spanMethods.length)]!;
    const target = onTracer ? tracer : (random() < 0.5 ? root : tracer.startSpan('child'));
    // A function as the last argument of startActiveSpan/withSpan is the common, valid shape: include it sometimes.
    if ((method === 'startActiveSpan' || method === 'withSpan') && random() < 0.5) args.push(() => 'ran');
    try {
      const result = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args);
      if (result instanceof Promise) await result;
      calls++;
    } catch (error) {
      assert.fail(`seed ${seed}, round ${round}: ${method}(${args.map((a) => typeof a).join(', ')}) threw ${String(error)}`);
    }
  }
  assert.equal(calls, 3000);
  // What was recorded can still be exported: flush and close settle.
  root.finish();
  await tracer.flush();
  await tracer.close();
  assert.ok(reporter.finishedSpans().length > 0);
  assert.ok(tracer.stats().spansStarted > 100);
});

test('the shapes new users reported: null tags, null options, a missing function', () => {
  const errors: string[] = [];
  const tracer = initTracer({ serviceName: 'fuzz', global: false }, { reporter: new InMemoryReporter(), logger: { error: (m) => errors.push(m) } });
  const span = tracer.startSpan('x', { tags: null } as never);
  assert.equal(span.addTags(null as never), span);
  assert.equal(tracer.startSpan('y', null).operationName, 'y');
  assert.equal(tracer.startActiveSpan('z', undefined as never), undefined);
  assert.equal(tracer.withSpan({} as never, () => tracer.activeSpan()), null);
  assert.deepEqual(errors, ['startActiveSpan: the last argument must be a function']);
});
