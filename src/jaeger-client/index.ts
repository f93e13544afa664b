// jaeger-client's exports, implemented on this tracer: `require('jaeger-client')` users change
// only the module name. See the README's "Migrating from jaeger-client".
export * as opentracing from 'opentracing';
export { ConstSampler, ProbabilisticSampler, RateLimitingSampler, RemoteSampler } from './samplers.js';
export type { RemoteSamplerOptions } from './samplers.js';
export { CompositeReporter, HTTPSender, InMemoryReporter, LoggingReporter, NoopReporter, RemoteReporter, UDPSender } from './reporters.js';
export type { JaegerStyleReporter, RemoteReporterOptions } from './reporters.js';
export { TextMapCodec, ZipkinB3TextMapCodec } from './codecs.js';
export type { CodecOptions } from './codecs.js';
export { PrometheusMetricsFactory } from './metrics.js';
export type { Counter, Gauge, MetricsFactory, PromClient } from './metrics.js';
export { TestUtils } from './test-utils.js';
export { Configuration } from './configuration.js';
export { DEFAULT_DEBUG_TRACES_PER_SECOND } from './options.js';
export type { JaegerClientOptions } from './options.js';
