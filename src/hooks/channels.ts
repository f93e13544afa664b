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

/**
 * Ours: one AWS SDK v3 call (`client.send(command)`), published by the hook on the shared smithy
 * `Client.prototype.send`: `start` (bound stores run the call), `error`, `asyncEnd`.
 */
export const HOOK_AWS_SDK_SEND = 'opentracing-async-instrumentation:aws-sdk.send';

/** Ours: one message handled by an `sqs-consumer` Consumer: `start`, `error`, `asyncEnd`. */
export const HOOK_SQS_CONSUMER_PROCESS = 'opentracing-async-instrumentation:sqs-consumer.process';
