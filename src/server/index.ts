// Entry `opentracing-async-instrumentation/server`: explicit server tracing, for apps that do not
// call `installAllPatches()` (or want it on one app only), and for servers we ship no adapter for.
export { expressMiddleware } from './express-middleware.js';
export { koaMiddleware } from './koa-middleware.js';
export type { KoaContextLike } from './koa-middleware.js';
export { fastifyPlugin } from './fastify-plugin.js';
export type { ServerTracingOptions } from './options.js';
export { AbstractRequestWrapper, TRACE_HEADER_NAMES, afterResponse, beforeRequest } from './request-wrapper.js';
