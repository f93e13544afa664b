// The demo's inventory service: plain node:http, a little simulated work per request. Started with
// the register preload, exporting to the Jaeger collector endpoint (HTTP, binary Thrift).
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const stock = new Map([['book', 12], ['lamp', 3], ['chair', 0]]);

const server = http.createServer(async (req, res) => {
  const item = /^\/stock\/([^/]+)$/.exec(req.url ?? '')?.[1];
  await sleep(5 + Math.random() * 10); // looking it up
  if (item === undefined || !stock.has(decodeURIComponent(item))) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unknown item' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ item, available: stock.get(decodeURIComponent(item)) }));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port} (node:http)`);
});
