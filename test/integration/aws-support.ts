// Shared by the AWS SDK suites: credentials with canary values that must never be exported, and
// helpers to look at spans.
import assert from 'node:assert/strict';
import type { SpanRecord } from '../../src/testing/index.js';

/** Planted in every client; no exported byte may contain them. */
export const CANARY = Object.freeze({
  accessKeyId: 'AKIACANARYKEY0000042',
  secretAccessKey: 'canarySecret/0000000000000000000000042',
  sessionToken: 'CANARYSESSIONTOKEN000000000000000000042',
});

export const REGION = 'eu-central-1';

/** Clients talk to loopback servers with fixed credentials and fail fast. */
export function clientConfig(endpoint: string): { endpoint: string; region: string; credentials: typeof CANARY; maxAttempts: number } {
  // A fresh credentials object per client: the SDK writes into it.
  return { endpoint, region: REGION, credentials: { ...CANARY }, maxAttempts: 3 };
}

export async function waitFor<T>(read: () => T[], count: number, timeoutMs = 3000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = read();
    if (items.length >= count || Date.now() > deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function only(spans: readonly SpanRecord[], operationName: string): SpanRecord {
  const matching = spans.filter((s) => s.operationName === operationName);
  assert.equal(matching.length, 1, `one ${operationName} span in ${spans.map((s) => s.operationName).join(', ')}`);
  return matching[0]!;
}

export function childrenOf(spans: readonly SpanRecord[], parent: SpanRecord): SpanRecord[] {
  return spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId);
}
