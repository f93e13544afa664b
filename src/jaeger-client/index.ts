// jaeger-client's exports, implemented on this tracer: `require('jaeger-client')` users change
// only the module name. See the README's "Migrating from jaeger-client".
export * as opentracing from 'opentracing';
export { ConstSampler, ProbabilisticSampler, RateLimitingSampler, RemoteSampler } from './samplers.js';
export type { RemoteSamplerOptions } from './samplers.js';
export { CompositeReporter, InMemoryReporter, LoggingReporter, NoopReporter } from './reporters.js';
export type { JaegerStyleReporter } from './reporters.js';
export { HTTPSender, RemoteReporter, UDPSender } from './remote-reporter.js';
export type { RemoteReporterOptions } from './remote-reporter.js';
export { TextMapCodec, ZipkinB3TextMapCodec } from './codecs.js';
export type { CodecOptions } from './codecs.js';
export { PrometheusMetricsFactory } from './metrics.js';
export type { Counter, Gauge, MetricsFactory, PromClient } from './metrics.js';
export { TestUtils } from './test-utils.js';
export { Configuration } from './configuration.js';
export { DEFAULT_DEBUG_TRACES_PER_SECOND } from './options.js';
export type { JaegerClientOptions } from './options.js';
