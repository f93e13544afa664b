// The demo's front door: an Express app (plain node:http when Express is not installed) that calls
// the orders service with fetch. Traced with no code of its own: it is started with
// `node --import opentracing-async-instrumentation/register gateway.mjs`, configured by JAEGER_*.
import http from 'node:http';

const ordersUrl = process.env.ORDERS_URL ?? 'http://127.0.0.1:3001';

async function checkout(item) {
  const response = await fetch(`${ordersUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item, quantity: 1 }),
  });
  return { status: response.status, body: await response.json() };
}

async function recent() {
  const response = await fetch(`${ordersUrl}/orders`);
  return { status: response.status, body: await response.json() };
}

// The gateway answers 502 when orders fails: the error shows on both sides of the call.
const answer = (result) => (result.status >= 500 ? { status: 502, body: { error: 'orders failed', cause: result.body } } : result);

async function expressApp() {
  const { default: express } = await import('express');
  const app = express();
  app.get('/checkout/:item', async (req, res) => {
    const result = answer(await checkout(req.params.item));
    res.status(result.status).json(result.body);
  });
  app.get('/orders/recent', async (req, res) => {
    const result = answer(await recent());
    res.status(result.status).json(result.body);
  });
  return http.createServer(app);
}

function plainApp() {
  return http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://gateway');
    const item = /^\/checkout\/([^/]+)$/.exec(url.pathname)?.[1];
    const result = item !== undefined ? answer(await checkout(item)) : url.pathname === '/orders/recent' ? answer(await recent()) : { status: 404, body: { error: 'not found' } };
    res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.body));
  });
}

const [server, framework] = await expressApp().then((app) => [app, 'Express'], () => [plainApp(), 'node:http']);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port} (${framework})`);
});
