// Every diagnostics channel this package publishes or subscribes to, named in one place.

/** Node's own `http` client channels (`created` only on Node 22.12+ / 23.2+). */
export const HTTP_CLIENT_REQUEST_CREATED = 'http.client.request.created';
export const HTTP_CLIENT_REQUEST_START = 'http.client.request.start';
export const HTTP_CLIENT_REQUEST_ERROR = 'http.client.request.error';
export const HTTP_CLIENT_RESPONSE_FINISH = 'http.client.response.finish';

/** Node's own `http` server channels. */
export const HTTP_SERVER_REQUEST_START = 'http.server.request.start';
export const HTTP_SERVER_RESPONSE_FINISH = 'http.server.response.finish';

/** undici's channels, shared by Node's bundled copy (global `fetch`) and the `undici` package. */
export const UNDICI_REQUEST_CREATE = 'undici:request:create';
export const UNDICI_REQUEST_HEADERS = 'undici:request:headers';
export const UNDICI_REQUEST_TRAILERS = 'undici:request:trailers';
export const UNDICI_REQUEST_ERROR = 'undici:request:error';

/**
 * Ours: published by the `http.request`/`http.get` wrap on Nodes without
 * `http.client.request.created`, with the same `{ request }` message.
 */
export const HOOK_HTTP_CLIENT_REQUEST_CREATED = 'opentracing-async-instrumentation:http.client.request.created';

/** mysql2 >= 3.20's own TracingChannels (`tracing:<name>:start`, ...). */
export const MYSQL2_QUERY = 'mysql2:query';
export const MYSQL2_EXECUTE = 'mysql2:execute';
export const MYSQL2_CONNECT = 'mysql2:connect';
export const MYSQL2_POOL_CONNECT = 'mysql2:pool:connect';

/**
 * Ours: the same TracingChannels with mysql2's payload, published by the hooks of mysql2 < 3.20
 * and of mysql 2.x, which publish nothing themselves.
 */
export const HOOK_MYSQL2_QUERY = 'opentracing-async-instrumentation:mysql2:query';
export const HOOK_MYSQL2_EXECUTE = 'opentracing-async-instrumentation:mysql2:execute';
export const HOOK_MYSQL2_CONNECT = 'opentracing-async-instrumentation:mysql2:connect';
export const HOOK_MYSQL2_POOL_CONNECT = 'opentracing-async-instrumentation:mysql2:pool:connect';
export const HOOK_MYSQL_QUERY = 'opentracing-async-instrumentation:mysql:query';
export const HOOK_MYSQL_CONNECT = 'opentracing-async-instrumentation:mysql:connect';
export const HOOK_MYSQL_POOL_CONNECT = 'opentracing-async-instrumentation:mysql:pool:connect';
