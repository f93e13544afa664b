// One set of spans (tags of every type, logs, an error, a FOLLOWS_FROM reference) in every wire
// format the viewer accepts, written by the project's own encoders.
import { packSpans } from '../../../src/encoding/jaeger-batch.js';
import { binaryAgentFormat, collectorBatchFormat, compactAgentFormat } from '../../../src/encoding/jaeger-envelopes.js';
import { encodeOtlpJson } from '../../../src/encoding/otlp-json.js';
import { OtlpProtoEncoder } from '../../../src/encoding/otlp-proto.js';
import type { Span } from '../../../src/tracer/span.js';
import { richSpans } from '../../peers/jaeger-fixture.js';

export const PROCESS_TAGS = { hostname: 'host-1', build: 42, canary: true };

export interface WireSample {
  format: 'compact' | 'binary-agent' | 'collector' | 'otlp-proto' | 'otlp-json';
  bytes: Buffer;
}

function jaeger(format: ReturnType<typeof compactAgentFormat>, spans: readonly Span[]): Buffer {
  const packed = packSpans(format, spans, 65_000);
  return Buffer.concat(packed.batches[0]!.parts);
}

export function wireSamples(spans: readonly Span[] = richSpans()): WireSample[] {
  const process = { serviceName: 'orders', processTags: PROCESS_TAGS };
  return [
    { format: 'compact', bytes: jaeger(compactAgentFormat('orders', PROCESS_TAGS), spans) },
    { format: 'binary-agent', bytes: jaeger(binaryAgentFormat('orders', PROCESS_TAGS), spans) },
    { format: 'collector', bytes: jaeger(collectorBatchFormat('orders', PROCESS_TAGS), spans) },
    { format: 'otlp-proto', bytes: Buffer.from(new OtlpProtoEncoder(process).encode(spans)) },
    { format: 'otlp-json', bytes: Buffer.from(encodeOtlpJson(spans, process)) },
  ];
}
