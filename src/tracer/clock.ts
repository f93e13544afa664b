import { performance } from 'node:perf_hooks';

// Wall-clock milliseconds with sub-millisecond precision, from one monotonic read. The origin is
// taken once; spans are short, so drift of the monotonic clock against NTP does not matter here.
const origin = performance.timeOrigin;

export function nowMs(): number {
  return origin + performance.now();
}
