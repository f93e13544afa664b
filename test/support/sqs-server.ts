// A small SQS test server speaking the AWS JSON 1.0 protocol the newest @aws-sdk/client-sqs uses
// (`X-Amz-Target: AmazonSQS.<Operation>`). No SQS-compatible server ships on npm or Debian; this
// one knows just enough for the tests: queues, messages with attributes, receive, delete. It keeps
// every request's target and headers so tests can see what the SDK sent. Not a real SQS.
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SqsAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface StoredMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody: string;
  MessageAttributes?: Record<string, SqsAttributeValue>;
  inFlight: boolean;
}

export interface SeenSqsRequest {
  operation: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface SqsServer {
  endpoint: string;
  queues: Map<string, StoredMessage[]>;
  requests: SeenSqsRequest[];
  close(): Promise<void>;
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

function queueName(url: unknown): string {
  return typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : '';
}

function selectAttributes(message: StoredMessage, names: unknown): Record<string, SqsAttributeValue> | undefined {
  if (!Array.isArray(names) || names.length === 0 || message.MessageAttributes === undefined) return undefined;
  const all = names.includes('All') || names.includes('.*');
  const picked: Record<string, SqsAttributeValue> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes)) {
    if (all || names.includes(name)) picked[name] = value;
  }
  return Object.keys(picked).length > 0 ? picked : undefined;
}

export async function startSqsServer(): Promise<SqsServer> {
  const queues = new Map<string, StoredMessage[]>();
  const requests: SeenSqsRequest[] = [];
  let endpoint = '';

  function store(queueUrl: unknown, entry: Record<string, unknown>): Record<string, string> {
    const queue = queues.get(queueName(queueUrl));
    if (queue === undefined) throw Object.assign(new Error('The specified queue does not exist.'), { type: 'com.amazonaws.sqs#QueueDoesNotExist' });
    const body = String(entry.MessageBody ?? '');
    const message: StoredMessage = {
      MessageId: randomUUID(),
      ReceiptHandle: randomUUID(),
      Body: body,
      MD5OfBody: md5(body),
      inFlight: false,
      ...(entry.MessageAttributes !== undefined ? { MessageAttributes: entry.MessageAttributes as Record<string, SqsAttributeValue> } : {}),
    };
    queue.push(message);
    return { MessageId: message.MessageId, MD5OfMessageBody: message.MD5OfBody };
  }

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateQueue(input) {
      const name = String(input.QueueName);
      if (!queues.has(name)) queues.set(name, []);
      return { QueueUrl: `${endpoint}/000000000000/${name}` };
    },
    GetQueueUrl(input) {
      const name = String(input.QueueName);
      if (!queues.has(name)) throw Object.assign(new Error('The specified queue does not exist.'), { type: 'com.amazonaws.sqs#QueueDoesNotExist' });
      return { QueueUrl: `${endpoint}/000000000000/${name}` };
    },
    SendMessage(input) {
      return store(input.QueueUrl, input);
    },
    SendMessageBatch(input) {
      const entries = (input.Entries ?? []) as Record<string, unknown>[];
      return { Successful: entries.map((entry) => ({ Id: entry.Id, ...store(input.QueueUrl, entry) })), Failed: [] };
    },
    ReceiveMessage(input) {
      const queue = queues.get(queueName(input.QueueUrl)) ?? [];
      const max = Number(input.MaxNumberOfMessages ?? 1);
      const ready = queue.filter((m) => !m.inFlight).slice(0, max);
      for (const message of ready) message.inFlight = true;
      return {
        Messages: ready.map((m) => {
          const attributes = selectAttributes(m, input.MessageAttributeNames);
          return { MessageId: m.MessageId, ReceiptHandle: m.ReceiptHandle, Body: m.Body, MD5OfBody: m.MD5OfBody, ...(attributes ? { MessageAttributes: attributes } : {}) };
        }),
      };
    },
    DeleteMessage(input) {
      const queue = queues.get(queueName(input.QueueUrl)) ?? [];
      const index = queue.findIndex((m) => m.ReceiptHandle === input.ReceiptHandle);
      if (index >= 0) queue.splice(index, 1);
      return {};
    },
    DeleteMessageBatch(input) {
      const entries = (input.Entries ?? []) as { Id?: unknown; ReceiptHandle?: unknown }[];
      for (const entry of entries) operations.DeleteMessage!({ QueueUrl: input.QueueUrl, ReceiptHandle: entry.ReceiptHandle });
      return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
    },
    ChangeMessageVisibility(input) {
      const message = (queues.get(queueName(input.QueueUrl)) ?? []).find((m) => m.ReceiptHandle === input.ReceiptHandle);
      if (message !== undefined && input.VisibilityTimeout === 0) message.inFlight = false;
      return {};
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      let reply: { status: number; body: unknown };
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        requests.push({ operation, headers: req.headers, body: input });
        const handler = operations[operation];
        reply = handler === undefined
          ? { status: 400, body: { __type: 'com.amazonaws.sqs#InvalidAction', message: `no ${operation} here` } }
          : { status: 200, body: handler(input) };
      } catch (error) {
        const type = (error as { type?: string }).type ?? 'com.amazonaws.sqs#InvalidParameterValue';
        reply = { status: 400, body: { __type: type, message: (error as Error).message } };
      }
      res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    queues,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
