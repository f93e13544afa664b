// Credentials, signatures, tokens, item values and message bodies never leave the process: AWS
// calls made with canary credentials are exported over OTLP/HTTP to a local collector, and every
// byte it received is searched for the canaries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDBClient, GetItemCommand, PutItemCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { initTracer } from '../../src/config/init.js';
import type { Tracer } from '../../src/tracer/tracer.js';
import { installAllPatches, uninstallAllPatches } from '../../src/plugins/install.js';
import { startDynamoDbServer } from '../support/aws-servers.js';
import type { LocalServer } from '../support/aws-servers.js';
import { startHttpCollector } from '../support/http-collector.js';
import type { HttpCollector } from '../support/http-collector.js';
import { startScriptedAwsServer } from '../support/scripted-aws-server.js';
import type { ScriptedAwsServer } from '../support/scripted-aws-server.js';
import { startSqsServer } from '../support/sqs-server.js';
import type { SqsServer } from '../support/sqs-server.js';
import { CANARY, clientConfig } from './aws-support.js';

let collector: HttpCollector;
let dynamoServer: LocalServer;
let sqsServer: SqsServer;
let scripted: ScriptedAwsServer;
let tracer: Tracer;

before(async () => {
  [collector, dynamoServer, sqsServer, scripted] = await Promise.all([startHttpCollector(200), startDynamoDbServer(), startSqsServer(), startScriptedAwsServer(CANARY.secretAccessKey)]);
  tracer = initTracer({ serviceName: 'canaries', global: false, sampler: { type: 'const', param: 1 }, reporter: { exporter: 'otlp', otlpEndpoint: `${collector.origin}/v1/traces` } });
  installAllPatches({ tracer, include: ['http-client', 'aws-sdk'], recordS3Keys: true });
});

after(async () => {
  uninstallAllPatches();
  await tracer.close();
  await Promise.all([collector.close(), dynamoServer.close(), sqsServer.close(), scripted.close()]);
});

test('no exported byte holds an access key, secret, session token, signature, item value or message body', async () => {
  const dynamo = new DynamoDBClient(clientConfig(dynamoServer.endpoint));
  const sqs = new SQSClient(clientConfig(sqsServer.endpoint));
  const s3 = new S3Client({ ...clientConfig(scripted.endpoint), forcePathStyle: true });
  await tracer.startActiveSpan('canary-run', async () => {
    await dynamo.send(new CreateTableCommand({ TableName: 'vault', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await dynamo.send(new PutItemCommand({ TableName: 'vault', Item: { id: { S: 'key-value-canary' }, secret: { S: 'item-value-canary' } } }));
    await dynamo.send(new GetItemCommand({ TableName: 'vault', Key: { id: { S: 'key-value-canary' } } }));
    await assert.rejects(dynamo.send(new GetItemCommand({ TableName: 'nope-table', Key: { id: { S: 'key-value-canary' } } })));
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'q' }))).QueueUrl;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'message-body-canary', MessageAttributes: { note: { DataType: 'String', StringValue: 'attribute-value-canary' } } }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['All'] }));
    scripted.script({ status: 403, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' });
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'bucket', Key: 'object-key' })));
  });
  await tracer.flush();
  dynamo.destroy();
  sqs.destroy();
  s3.destroy();

  const exported = Buffer.concat(collector.received.map((r) => r.body)).toString('latin1');
  assert.ok(exported.includes('DynamoDB.GetItem') && exported.includes('SQS.ReceiveMessage') && exported.includes('S3.GetObject'), 'the spans were exported');
  assert.ok(exported.includes('object-key'), 'opted-in S3 key recorded (so the scan reads the right bytes)');
  const signatures = scripted.requests.map((r) => /Signature=([0-9a-f]+)/.exec(String(r.headers.authorization))![1]!);
  assert.equal(signatures.length, 1);
  const forbidden = [
    CANARY.accessKeyId, CANARY.secretAccessKey, CANARY.sessionToken, ...signatures,
    'item-value-canary', 'key-value-canary', 'message-body-canary', 'attribute-value-canary',
    'AWS4-HMAC-SHA256', 'x-amz-security-token', 'X-Amz-Security-Token',
  ];
  for (const canary of forbidden) assert.ok(!exported.includes(canary), `exported bytes contain ${canary}`);
  assert.ok(!/authorization/i.test(exported), 'no Authorization header');
});
