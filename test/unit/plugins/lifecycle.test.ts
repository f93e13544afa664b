// The shared integration lifecycle: subscribe, guard, bind the active span, undo.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as diagnosticsChannel from 'node:diagnostics_channel';
import { createTestTracer } from '../../../src/testing/index.js';
import { defineIntegration } from '../../../src/plugins/lifecycle.js';
import type { IntegrationContext } from '../../../src/plugins/integration.js';
import type { Span } from '../../../src/tracer/span.js';

const { tracer, finishedSpans, reset } = createTestTracer();

function testContext(): IntegrationContext & { faults: { integration: string; error: unknown }[] } {
  const faults: { integration: string; error: unknown }[] = [];
  return {
    options: { ignoreUrls: [], ignorePaths: [], errorOn4xx: false, callerNameHeaders: [], recordSqlValues: false, recordS3Keys: false },
    tracer: () => tracer,
    fault(integration, error) {
      faults.push({ integration, error });
    },
    faults,
  };
}

describe('defineIntegration', () => {
  test('a TracingChannel: the span is active in the traced function and ends on asyncEnd', async () => {
    reset();
    const channel = diagnosticsChannel.tracingChannel<string, { sql: string; span?: Span; result?: unknown }>('test.lifecycle.query');
    const integration = defineIntegration({
      name: 'test-db',
      setup: () => ({
        tracingChannels: [{
          channel: 'test.lifecycle.query',
          activeSpan: (message: { sql: string; span?: Span }) => (message.span = tracer.startSpan(message.sql)),
          asyncEnd: (message: { span?: Span }) => message.span?.finish(),
          error: (message: { span?: Span; error?: unknown }) => message.span?.recordError(message.error),
        }],
      }),
    });
    const context = testContext();
    assert.equal(integration.enable(context), true);
    let inside: Span | null = null;
    const result = await channel.tracePromise(async () => {
      inside = tracer.activeSpan();
      return 42;
    }, { sql: 'SELECT 1' });
    assert.equal(result, 42);
    assert.equal(tracer.activeSpan(), null);
    assert.equal(finishedSpans().length, 1);
    assert.equal((inside as Span | null)?.operationName, 'SELECT 1');
    integration.disable();
    await channel.tracePromise(async () => {
      assert.equal(tracer.activeSpan(), null);
    }, { sql: 'SELECT 2' });
    assert.equal(finishedSpans().length, 1, 'nothing traced once disabled');
    assert.deepEqual(context.faults, []);
  });

  test('a throwing handler is reported once and undoes everything; the publisher goes on', () => {
    const plain = diagnosticsChannel.channel('test.lifecycle.plain');
    const target = { method: (): string => 'original' };
    const context = testContext();
    let calls = 0;
    let integration: ReturnType<typeof defineIntegration> | null = null;
    // The real fault() switches the integration off; this context does what install.ts does.
    const switching: IntegrationContext = { ...context, fault: (name, error) => { context.fault(name, error); integration?.disable(); } };
    integration = defineIntegration({
      name: 'test-faulty',
      setup: () => ({
        channels: [{ channel: 'test.lifecycle.plain', handler: () => { calls++; throw new Error('boom'); } }],
        tracingChannels: [{ channel: 'test.lifecycle.bound', activeSpan: () => { throw new Error('never reached'); } }],
        patches: [() => {
          const original = target.method;
          target.method = () => 'patched';
          return () => { target.method = original; };
        }],
      }),
    });
    assert.equal(integration.enable(switching), true);
    assert.equal(target.method(), 'patched');
    assert.equal(plain.hasSubscribers, true);
    plain.publish({});
    plain.publish({});
    assert.equal(calls, 1);
    assert.equal(context.faults.length, 1);
    assert.equal(context.faults[0]!.integration, 'test-faulty');
    assert.equal(target.method(), 'original');
    assert.equal(plain.hasSubscribers, false);
    assert.equal(diagnosticsChannel.tracingChannel('test.lifecycle.bound').start.hasSubscribers, false);
  });

  test('packages: not installed, nothing is touched', () => {
    let setUp = false;
    const integration = defineIntegration({
      name: 'test-absent',
      packages: ['surely-not-an-installed-package-7d1e'],
      setup: () => {
        setUp = true;
        return {};
      },
    });
    assert.equal(integration.enable(testContext()), false);
    assert.equal(setUp, false);
  });

  test('a store transform that throws leaves the active span as it was', () => {
    reset();
    const context = testContext();
    const integration = defineIntegration({
      name: 'test-bad-bind',
      setup: () => ({ tracingChannels: [{ channel: 'test.lifecycle.badbind', activeSpan: () => { throw new Error('bind'); } }] }),
    });
    integration.enable(context);
    const channel = diagnosticsChannel.tracingChannel('test.lifecycle.badbind');
    tracer.startActiveSpan('outer', (outer) => {
      const seen = channel.traceSync(() => tracer.activeSpan(), {});
      assert.equal(seen, outer);
      outer.finish();
    });
    assert.equal(context.faults.length, 1);
    integration.disable();
  });

  test('a setup that fails half-way is undone and rethrown (the installer reports it)', () => {
    const target = { method: (): string => 'original' };
    const integration = defineIntegration({
      name: 'test-half',
      setup: () => ({
        channels: [{ channel: 'test.lifecycle.half', handler: () => {} }],
        patches: [
          () => {
            target.method = () => 'patched';
            return () => { target.method = () => 'original'; };
          },
          () => { throw new Error('cannot patch'); },
        ],
      }),
    });
    assert.throws(() => integration.enable(testContext()), /cannot patch/);
    assert.equal(target.method(), 'original');
    assert.equal(diagnosticsChannel.channel('test.lifecycle.half').hasSubscribers, false);
    assert.doesNotThrow(() => integration.disable());
  });
});
