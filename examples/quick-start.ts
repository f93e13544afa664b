import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTracer, installAllPatches } from 'opentracing-async-instrumentation';

const tracer = initTracer({ serviceName: 'orders', reporter: { exporter: 'console' } });
installAllPatches(); // node:http/https, fetch/undici, Express, Koa, Fastify: whatever is installed

const server = http.createServer((req, res) => res.end('ok')); // traced too: a server span
await once(server.listen(0, '127.0.0.1'), 'listening');
const { port } = server.address() as AddressInfo;

await tracer.startActiveSpan('hello_world', async (span) => {
  span.setTag('user.id', 42);
  const response = await fetch(`http://127.0.0.1:${port}/items`); // a client span, trace headers sent
  await response.text();
});
server.close();
await tracer.close(); // flushes every finished span
