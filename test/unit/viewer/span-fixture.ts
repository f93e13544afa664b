// Viewer spans built by hand for store, query and layout tests.
import type { ViewerSpan } from '../../../src/viewer/model.js';

export const T0 = 1_700_000_000_000_000; // µs

let next = 1;
export function spanId(): string {
  return (next++).toString(16).padStart(16, '0');
}

export function traceId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export function makeSpan(fields: Partial<ViewerSpan> & { traceID: string }): ViewerSpan {
  const span: ViewerSpan = {
    spanID: spanId(), parentSpanID: '', operationName: 'op', flags: 1, startTime: T0, duration: 1000,
    tags: [], logs: [], references: [], process: { serviceName: 'svc', tags: [] }, ...fields,
  };
  if (span.parentSpanID !== '' && span.references.length === 0) span.references = [{ refType: 'CHILD_OF', traceID: span.traceID, spanID: span.parentSpanID }];
  return span;
}
