// The demo's orders service: a Fastify app (plain node:http when Fastify is not installed) that asks
// the inventory service for stock with fetch. Started with the register preload, exporting OTLP.
// When the demo started them (DEMO_MYSQL_*, DEMO_DYNAMODB_ENDPOINT), it also reads the stock from
// MariaDB with mysql2 and the price from DynamoDB, and records each order there: all traced by the
// preload too. Without them (or without mysql2 / the AWS SDK installed) it works from memory.
import http from 'node:http';

const inventoryUrl = process.env.INVENTORY_URL ?? 'http://127.0.0.1:3002';
const orders = [];

async function database() {
  if (process.env.DEMO_MYSQL_PORT === undefined) return undefined;
  try {
    const mysql = await import('mysql2/promise');
    return mysql.createPool({
      host: process.env.DEMO_MYSQL_HOST, port: Number(process.env.DEMO_MYSQL_PORT), user: process.env.DEMO_MYSQL_USER,
      password: process.env.DEMO_MYSQL_PASSWORD, database: process.env.DEMO_MYSQL_DATABASE, connectionLimit: 2,
    });
  } catch {
    return undefined;
  }
}

async function dynamoDb() {
  if (process.env.DEMO_DYNAMODB_ENDPOINT === undefined) return undefined;
  try {
    const { DynamoDBClient, GetItemCommand, PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    // A local dynalite: fake credentials, never the machine's own.
    const client = new DynamoDBClient({
      endpoint: process.env.DEMO_DYNAMODB_ENDPOINT, region: 'us-east-1', maxAttempts: 1,
      credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
    });
    return {
      price: async (item) => Number((await client.send(new GetItemCommand({ TableName: 'prices', Key: { item: { S: item } } }))).Item?.price?.N ?? NaN),
      record: (order) => client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: String(order.id) }, item: { S: order.item }, quantity: { N: String(order.quantity) } } })),
    };
  } catch {
    return undefined;
  }
}

const [db, dynamo] = await Promise.all([database(), dynamoDb()]);

async function placeOrder(item, quantity) {
  const response = await fetch(`${inventoryUrl}/stock/${encodeURIComponent(item)}`);
  if (!response.ok) throw new Error(`no stock record for ${item} (inventory answered ${response.status})`);
  let { available } = await response.json();
  if (db !== undefined) [[{ available } = { available: 0 }]] = await db.query('SELECT available FROM stock WHERE item = ?', [item]);
  if (available < quantity) return { status: 409, body: { error: 'out of stock' } };
  const order = { id: orders.length + 1, item, quantity };
  if (dynamo !== undefined) {
    order.price = await dynamo.price(item);
    await dynamo.record(order);
  }
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
