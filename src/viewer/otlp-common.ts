// What the OTLP decoders (protobuf and JSON) share: OTLP's span shape → the viewer's, following
// Jaeger's own OTLP translation (resource `service.name` → process, kind → `span.kind`, ERROR
// status → `error=true`, events → logs, links → FOLLOWS_FROM unless they say otherwise).
import type { KeyValue, SpanLog, SpanProcess, SpanRef, ViewerSpan } from './model.js';
import { withParentReference } from './model.js';

export const KINDS = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

export interface OtlpSpanParts {
  traceID: string;
  spanID: string;
  parentSpanID: string;
  name: string;
  kind: number;
  startMicros: number;
  endMicros: number;
  attributes: KeyValue[];
  events: SpanLog[];
  links: { traceID: string; spanID: string; attributes: KeyValue[] }[];
  statusCode: number;
  statusMessage: string;
  flags: number;
}

export interface OtlpScope {
  name: string;
  version: string;
}

/** The process of a resource: `service.name` (Jaeger's default when absent), the rest as tags. */
export function processOf(attributes: KeyValue[]): SpanProcess {
  let serviceName = 'unknown_service';
  const tags: KeyValue[] = [];
  for (const attribute of attributes) {
    if (attribute.key === 'service.name' && typeof attribute.value === 'string') serviceName = attribute.value;
    else tags.push(attribute);
  }
  return { serviceName, tags };
}

export function toViewerSpan(parts: OtlpSpanParts, process: SpanProcess, scope: OtlpScope): ViewerSpan {
  const tags = parts.attributes;
  // Our exporter writes INTERNAL for spans without a kind: leave it out so the span reads as sent.
  const kind = KINDS[parts.kind];
  if (kind !== undefined && kind !== '' && kind !== 'internal') tags.push({ key: 'span.kind', type: 'string', value: kind });
  if (parts.statusCode === 2) {
    tags.push({ key: 'error', type: 'bool', value: true });
    if (parts.statusMessage !== '') tags.push({ key: 'otel.status_description', type: 'string', value: parts.statusMessage });
  }
  if (scope.name !== '') tags.push({ key: 'otel.scope.name', type: 'string', value: scope.name });
  if (scope.version !== '') tags.push({ key: 'otel.scope.version', type: 'string', value: scope.version });
  const references: SpanRef[] = parts.links.map((link) => {
    const refType = link.attributes.find((a) => a.key === 'opentracing.ref_type')?.value;
    return { refType: refType === 'child_of' ? 'CHILD_OF' : 'FOLLOWS_FROM', traceID: link.traceID, spanID: link.spanID };
  });
  const span: ViewerSpan = {
    traceID: parts.traceID,
    spanID: parts.spanID,
    parentSpanID: parts.parentSpanID,
    operationName: parts.name,
    flags: parts.flags & 0xff,
    startTime: parts.startMicros,
    duration: Math.max(0, parts.endMicros - parts.startMicros),
    tags,
    logs: parts.events,
    references,
    process,
  };
  return withParentReference(span);
}

/** An event's name becomes the log's `event` field, first, as Jaeger shows it. */
export function eventLog(timestamp: number, name: string, attributes: KeyValue[]): SpanLog {
  return { timestamp, fields: [{ key: 'event', type: 'string', value: name }, ...attributes] };
}
