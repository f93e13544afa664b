// The OTLP trace messages (opentelemetry-proto v1: common, resource, trace, trace_service), for
// decoding with protobufjs. No installed package ships the .proto files (otlp-transformer now
// has a hand-written writer), so the schema is written out here from the specification; the
// peer test proves it right by decoding OpenTelemetry's own serializer output with it.
import protobuf from 'protobufjs';

const OTLP_TRACE_PROTO = `
syntax = "proto3";
package opentelemetry.proto;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message Resource {
  repeated KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans {
  Resource resource = 1;
  repeated ScopeSpans scope_spans = 2;
  string schema_url = 3;
}
message ScopeSpans {
  InstrumentationScope scope = 1;
  repeated Span spans = 2;
  string schema_url = 3;
}
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  enum SpanKind {
    SPAN_KIND_UNSPECIFIED = 0;
    SPAN_KIND_INTERNAL = 1;
    SPAN_KIND_SERVER = 2;
    SPAN_KIND_CLIENT = 3;
    SPAN_KIND_PRODUCER = 4;
    SPAN_KIND_CONSUMER = 5;
  }
  SpanKind kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  message Event {
    fixed64 time_unix_nano = 1;
    string name = 2;
    repeated KeyValue attributes = 3;
    uint32 dropped_attributes_count = 4;
  }
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  message Link {
    bytes trace_id = 1;
    bytes span_id = 2;
    string trace_state = 3;
    repeated KeyValue attributes = 4;
    uint32 dropped_attributes_count = 5;
    fixed32 flags = 6;
  }
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message Status {
  reserved 1;
  string message = 2;
  enum StatusCode {
    STATUS_CODE_UNSET = 0;
    STATUS_CODE_OK = 1;
    STATUS_CODE_ERROR = 2;
  }
  StatusCode code = 3;
}
`;

const root = protobuf.parse(OTLP_TRACE_PROTO).root;
const requestType = root.lookupType('opentelemetry.proto.ExportTraceServiceRequest');

/** Plain-object shapes of the decoded request (ids and bytes as hex, 64-bit numbers as strings). */
export interface DecodedAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: DecodedAnyValue[] };
}
export interface DecodedKeyValue { key: string; value: DecodedAnyValue }
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  traceState?: string;
  parentSpanId?: string;
  flags?: number;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: DecodedKeyValue[];
  events?: { timeUnixNano: string; name: string; attributes?: DecodedKeyValue[] }[];
  links?: { traceId: string; spanId: string; traceState?: string; attributes?: DecodedKeyValue[]; flags?: number }[];
  status?: { message?: string; code?: number };
  droppedAttributesCount?: number;
}
export interface DecodedRequest {
  resourceSpans: {
    resource: { attributes: DecodedKeyValue[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: DecodedSpan[] }[];
  }[];
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

// toObject gives bytes as base64; ids read better (and compare with our records) as hex.
function hexIds(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && ID_FIELDS.has(key)) return Buffer.from(value, 'base64').toString('hex');
  if (Array.isArray(value)) return value.map((item) => hexIds(item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = hexIds(v, k);
    return out;
  }
  return value;
}

/** Decodes an ExportTraceServiceRequest with protobufjs; throws on malformed input. */
export function decodeTraceRequest(bytes: Uint8Array): DecodedRequest {
  const message = requestType.decode(bytes);
  const object = requestType.toObject(message, { longs: String, enums: Number, bytes: String, defaults: false });
  return hexIds(object) as DecodedRequest;
}
