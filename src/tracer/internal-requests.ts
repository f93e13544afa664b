// The tracer's own traffic (exporters, remote sampler) goes through agents carrying this mark;
// HTTP client instrumentation skips any request made with such an agent, so there is no feedback
// loop of spans about sending spans.
const INTERNAL = Symbol.for('opentracing-async-instrumentation.internalAgent');

export function markInternal<T extends object>(agent: T): T {
  (agent as { [INTERNAL]?: true })[INTERNAL] = true;
  return agent;
}

export function isInternal(agent: unknown): boolean {
  return agent !== null && typeof agent === 'object' && (agent as { [INTERNAL]?: true })[INTERNAL] === true;
}
