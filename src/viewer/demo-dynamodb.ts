// The demo's local DynamoDB: `dynalite` from npm (in memory, in this process, which is not traced),
// on a free loopback port, with the demo's tables created and seeded over DynamoDB's JSON protocol.
// dynalite checks only that a request looks signed: the fake credentials below are all it sees.
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;

/** dynalite as `from` (a file path) would import it, or undefined when it is not installed there. */
export function loadDynalite(from: string): Dynalite | undefined {
  try {
    return createRequire(from)('dynalite') as Dynalite;
  } catch {
    return undefined;
  }
}

async function call(endpoint: string, operation: string, body: object): Promise<void> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
      authorization: 'AWS4-HMAC-SHA256 Credential=demo/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`${operation} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer().catch(() => undefined);
}

/** Starts dynalite with a `prices` table (one price per item of `prices`) and an empty `orders` table. */
export async function startDemoDynamoDb(dynalite: Dynalite, prices: Readonly<Record<string, number>>): Promise<DemoDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = (): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
  try {
    for (const [table, key] of [['prices', 'item'], ['orders', 'id']] as const) {
      await call(endpoint, 'CreateTable', {
        TableName: table, BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }], KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      });
    }
    for (const [item, price] of Object.entries(prices)) {
      await call(endpoint, 'PutItem', { TableName: 'prices', Item: { item: { S: item }, price: { N: String(price) } } });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}
