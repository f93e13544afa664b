import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instrumentationFromEnv } from '../../../src/config/instrumentation-env.js';

test('OTAI_* variables become installAllPatches options; bad items are reported once and skipped', () => {
  const warnings: string[] = [];
  const options = instrumentationFromEnv({
    OTAI_IGNORE_PATHS: '/health, ^/internal/ ,^/[unclosed, /ready/',
    OTAI_IGNORE_URLS: 'http://metadata.internal/,^.*\\.svc:9090',
    OTAI_CALLER_NAME_HEADERS: 'x-caller, X-Service-Name',
    OTAI_ERROR_ON_4XX: 'TRUE',
  }, { warn: (m) => warnings.push(m) });
  assert.deepEqual(options.ignorePaths, ['/health', /^\/internal\//, '/ready/']);
  assert.deepEqual(options.ignoreUrls, ['http://metadata.internal/', /^.*\.svc:9090/]);
  assert.deepEqual(options.callerNameHeaders, ['x-caller', 'X-Service-Name']);
  assert.equal(options.errorOn4xx, true);
  assert.deepEqual(warnings, ['ignoring part of OTAI_IGNORE_PATHS: "^/[unclosed" is not a valid RegExp']);
});

test('unset or empty variables leave the defaults; a bad boolean warns', () => {
  const warnings: string[] = [];
  assert.deepEqual(instrumentationFromEnv({ OTAI_IGNORE_PATHS: ' ', OTAI_ERROR_ON_4XX: 'sometimes' }, { warn: (m) => warnings.push(m) }), {});
  assert.deepEqual(warnings, ['ignoring part of OTAI_ERROR_ON_4XX: expected true or false, got "sometimes"']);
});
