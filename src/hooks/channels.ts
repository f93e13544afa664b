// Every diagnostics channel this package publishes or subscribes to, named in one place. A
// TracingChannel is listed by the name given to `diagnostics_channel.tracingChannel(name)`; its
// channels are `tracing:<name>:start`, `:end`, `:asyncStart`, `:asyncEnd`, `:error`.

// --- Node's own ---

/** node:http client: a new request, before its headers are written (Node 22.12+ / 23.2+ only). */
export const HTTP_CLIENT_REQUEST_CREATED = 'http.client.request.created';
export const HTTP_CLIENT_REQUEST_ERROR = 'http.client.request.error';

/** node:http server: a request arrived, just before the server's 'request' event. */
export const HTTP_SERVER_REQUEST_START = 'http.server.request.start';

/** node:http server: the response has finished. */
export const HTTP_SERVER_RESPONSE_FINISH = 'http.server.response.finish';

/** undici's channels, shared by Node's bundled copy (global `fetch`) and the `undici` package. */
export const UNDICI_REQUEST_CREATE = 'undici:request:create';
export const UNDICI_REQUEST_HEADERS = 'undici:request:headers';
export const UNDICI_REQUEST_TRAILERS = 'undici:request:trailers';
export const UNDICI_REQUEST_ERROR = 'undici:request:error';

// --- Libraries' own ---

/** Express 5 (through router 2.3+): a TracingChannel, one `start` per layer run. */
export const EXPRESS_ROUTER_REQUEST = 'express.router.request';

/** Fastify 4 and 5: each new instance, published once. */
export const FASTIFY_INITIALIZATION = 'fastify.initialization';
/** Fastify 5: a TracingChannel around each route handler, with the route. */
export const FASTIFY_REQUEST_HANDLER = 'fastify.request.handler';

/**
 * mysql2 >= 3.20: TracingChannels with `query`, `values`, `database`, `serverAddress`,
 * `serverPort` (`user` on connect). Our hook publishes the same for older mysql2.
 */
export const MYSQL2_QUERY = 'mysql2:query';
export const MYSQL2_EXECUTE = 'mysql2:execute';
export const MYSQL2_CONNECT = 'mysql2:connect';
export const MYSQL2_POOL_CONNECT = 'mysql2:pool:connect';

// --- Ours, published by hooks/ for what publishes nothing; each mirrors a library's own ---

/**
 * Published by the `http.request`/`http.get` wrap on Nodes without
 * `http.client.request.created`, with the same `{ request }` message.
 */
export const HOOK_HTTP_CLIENT_REQUEST_CREATED = 'opentracing-async-instrumentation:http.client.request.created';

/** node:http server: what a `request` listener threw; a request or response closed before the response finished. */
export const HOOK_HTTP_SERVER_REQUEST_ERROR = 'opentracing-async-instrumentation:http.server.request.error';
export const HOOK_HTTP_SERVER_REQUEST_CLOSE = 'opentracing-async-instrumentation:http.server.request.close';

/** Express 4: `express.router.request`'s `start` and `error` messages, as plain channels. */
export const HOOK_EXPRESS4_LAYER = 'opentracing-async-instrumentation:express4.layer';
export const HOOK_EXPRESS4_ERROR = 'opentracing-async-instrumentation:express4.error';

/** Koa: the end of each request's middleware chain. */
export const HOOK_KOA_REQUEST_SETTLED = 'opentracing-async-instrumentation:koa.request.settled';
/** Koa: a router (@koa/router, koa-router) matched a route (it set `ctx._matchedRoute`); `{ context }`. */
export const HOOK_KOA_ROUTE_MATCHED = 'opentracing-async-instrumentation:koa.route.matched';

/** mysql 2.x: TracingChannels with mysql2's payload (mysql publishes none of its own). */
export const HOOK_MYSQL_QUERY = 'opentracing-async-instrumentation:mysql:query';
export const HOOK_MYSQL_CONNECT = 'opentracing-async-instrumentation:mysql:connect';
export const HOOK_MYSQL_POOL_CONNECT = 'opentracing-async-instrumentation:mysql:pool:connect';

/** mariadb (3.x, promise API): TracingChannels with mysql2's payload (mariadb publishes none). */
export const HOOK_MARIADB_QUERY = 'opentracing-async-instrumentation:mariadb:query';
export const HOOK_MARIADB_CONNECT = 'opentracing-async-instrumentation:mariadb:connect';

/**
 * Ours: one AWS SDK v3 call (`client.send(command)`), published by the hook on the shared smithy
 * `Client.prototype.send`: `start` (bound stores run the call), `error`, `asyncEnd`.
 */
export const HOOK_AWS_SDK_SEND = 'opentracing-async-instrumentation:aws-sdk.send';

/** Ours: one message handled by an `sqs-consumer` Consumer: `start`, `error`, `asyncEnd`. */
export const HOOK_SQS_CONSUMER_PROCESS = 'opentracing-async-instrumentation:sqs-consumer.process';
