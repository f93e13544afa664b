// A viewer on free loopback ports for tests, and helpers to read its query API.
import { startViewer } from '../../src/viewer/viewer.js';
import type { Viewer, ViewerOptions } from '../../src/viewer/viewer.js';
import type { JaegerTrace } from '../../src/viewer/query.js';

export const FREE_PORTS = { udpPort: 0, udpBinaryPort: 0, collectorPort: 0, otlpPort: 0, uiPort: 0, samplingPort: 0 } as const;

export function startTestViewer(options: ViewerOptions = {}): Promise<Viewer> {
  return startViewer({ ...FREE_PORTS, warn: () => {}, ...options });
}

export async function apiGet<T = { data: JaegerTrace[] }>(viewer: Viewer, path: string): Promise<T> {
  const response = await fetch(viewer.uiUrl(path));
  if (!response.ok && response.status !== 404) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

/** Resolves once the store holds `count` spans of trace `traceID` (or any trace, with ''). */
export async function waitForSpans(viewer: Viewer, traceID: string, count: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const have = traceID === '' ? viewer.store.spanCount : (viewer.store.get(traceID)?.spans.length ?? 0);
    if (have >= count) return;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} spans of ${traceID || 'any trace'}, have ${have}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
