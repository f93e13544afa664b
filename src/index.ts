export { Tags, FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP, FORMAT_BINARY, REFERENCE_CHILD_OF, REFERENCE_FOLLOWS_FROM } from 'opentracing';
export { Tracer } from './tracer/tracer.js';
export type { SpanOptions, TracerStats } from './tracer/tracer.js';
export { Span } from './tracer/span.js';
export { SpanContext } from './tracer/span-context.js';
export type { Logger, Reporter, Sampler, SamplingDecision, SpanLimits, SpanLog, SpanReference, TagValue } from './tracer/types.js';
export { globalTracer } from './tracer/global.js';
export { initTracer, initTracerFromEnv } from './config/init.js';
export type {
  ExporterName, PropagatorName, ReporterConfig, SamplerConfig, SamplerType, TracerOptions, TracingConfig,
} from './config/options.js';
export { VERSION } from './version.js';
export { installAllPatches, uninstallAllPatches, clientHooks } from './plugins/install.js';
export { sqsMessageContext } from './plugins/aws/message-context.js';
export type { InstrumentationOptions, UrlMatcher } from './plugins/integration.js';
export * from './jaeger-client/index.js';
