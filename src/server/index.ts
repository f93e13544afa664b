// Server-side instrumentation (AbstractRequestWrapper, beforeRequest, framework adapters).
export {};
