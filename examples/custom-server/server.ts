// A traced node:http2 server, run with `node --import tsx examples/custom-server/server.ts`:
// it serves one request made by an HTTP/2 client that carries a W3C `traceparent`, prints the
// trace (console exporter, on stderr) and exits.
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { initTracer } from 'opentracing-async-instrumentation';
import { traceStreams } from './http2-adapter.js';

const tracer = initTracer({ serviceName: 'http2-demo', reporter: { exporter: 'console' } });

const server = http2.createServer();
server.on('stream', traceStreams(async (stream, headers) => {
  // Inside the server span: a child span for the work, as any handler code would make.
  await tracer.startActiveSpan('render greeting', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
  });
  stream.respond({ ':status': 200, 'content-type': 'text/plain' });
  stream.end(`hello ${String(headers[':path']).split('/').pop()}`);
}, { routeOf: (path) => (path.startsWith('/hello/') ? '/hello/:name' : undefined) }));

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const client = http2.connect(`http://127.0.0.1:${port}`);
  const request = client.request({
    ':path': '/hello/ada',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    body += chunk;
  });
  request.on('end', async () => {
    console.log(body);
    client.close();
    server.close();
    await tracer.close();
  });
  request.end();
});
