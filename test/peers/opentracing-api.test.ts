// The `opentracing` package's own API compatibility checks, run against our tracer. They are
// written for mocha (global describe/it/beforeEach) and chai; node:test provides the same names.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { createTestTracer } from '../../src/testing/index.js';

Object.assign(globalThis, { describe, it, before, after, beforeEach, afterEach });
const require = createRequire(import.meta.url);
const { default: apiCompatibilityChecks } = require('opentracing/lib/test/api_compatibility') as {
  default: (factory: () => unknown, options?: { skipBaggageChecks?: boolean; skipInjectExtractChecks?: boolean }) => void;
};

apiCompatibilityChecks(() => createTestTracer().tracer, { skipBaggageChecks: false, skipInjectExtractChecks: false });
