// The demo's orders service: a Fastify app (plain node:http when Fastify is not installed) that asks
// the inventory service for stock with fetch. Started with the register preload, exporting OTLP.
import http from 'node:http';

const inventoryUrl = process.env.INVENTORY_URL ?? 'http://127.0.0.1:3002';
const orders = [];

async function placeOrder(item, quantity) {
  const response = await fetch(`${inventoryUrl}/stock/${encodeURIComponent(item)}`);
  if (!response.ok) throw new Error(`no stock record for ${item} (inventory answered ${response.status})`);
  const stock = await response.json();
  if (stock.available < quantity) return { status: 409, body: { error: 'out of stock' } };
  const order = { id: orders.length + 1, item, quantity };
  orders.push(order);
  return { status: 201, body: order };
}

async function fastifyApp() {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  app.post('/orders', async (request, reply) => {
    const { item, quantity } = request.body;
    const result = await placeOrder(item, quantity); // a throw becomes Fastify's 500
    return reply.code(result.status).send(result.body);
  });
  app.get('/orders', async () => orders.slice(-10));
  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  return app.server;
}

async function plainApp() {
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    let result;
    try {
      if (req.method === 'POST' && req.url === '/orders') {
        const { item, quantity } = JSON.parse(body);
        result = await placeOrder(item, quantity);
      } else result = { status: 200, body: orders.slice(-10) };
    } catch (error) {
      result = { status: 500, body: { error: error.message } };
    }
    res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.body));
  });
  await new Promise((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
  return server;
}

const [server, framework] = await fastifyApp().then((app) => [app, 'Fastify'], async () => [await plainApp(), 'node:http']);
console.log(`listening ${server.address().port} (${framework})`);
