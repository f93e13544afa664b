import { initTracer, installAllPatches } from 'opentracing-async-instrumentation';

const tracer = initTracer({ serviceName: 'orders', reporter: { exporter: 'console' } });
installAllPatches(); // node:http/https, fetch/undici, servers... whatever is installed

await tracer.startActiveSpan('hello_world', async (span) => {
  span.setTag('user.id', 42);
  await fetch('http://127.0.0.1:9/unreachable').catch(() => {}); // a child span, with trace headers
});
await tracer.close(); // flushes every finished span
