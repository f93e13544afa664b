// The AWS SDK v3 integration against real S3- and DynamoDB-compatible servers (s3rver, dynalite)
// and a scripted server that checks each request's SigV4 signature, with the newest SDK clients.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3, S3Client } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Upload } from '@aws-sdk/lib-storage';
import { createTestTracer } from '../../src/testing/index.js';
import { installAllPatches, installed, uninstallAllPatches } from '../../src/plugins/install.js';
import { startDynamoDbServer, startS3Server } from '../support/aws-servers.js';
import type { LocalServer } from '../support/aws-servers.js';
import { startScriptedAwsServer } from '../support/scripted-aws-server.js';
import type { ScriptedAwsServer } from '../support/scripted-aws-server.js';
import { CANARY, REGION, childrenOf, clientConfig, only, waitFor } from './aws-support.js';

const { tracer, finishedSpans, reset } = createTestTracer();
let s3Server: LocalServer;
let dynamoServer: LocalServer;
let scripted: ScriptedAwsServer;
let s3: S3Client;
let dynamo: DynamoDBClient;
// Made before installAllPatches: traced all the same (the patch is on the shared prototype).
let earlyDynamo: DynamoDBClient;

const TABLE = 'orders';
const BUCKET = 'invoices';

function s3Config(endpoint: string): S3ClientConfig {
  // How s3rver's users configure the SDK: path-style URLs (s3rver serves buckets by path). The
  // newest SDK's default request checksums (CRC32 headers) work with s3rver 3.7, so they stay on.
  return { ...clientConfig(endpoint), credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, forcePathStyle: true };
}

before(async () => {
  [s3Server, dynamoServer, scripted] = await Promise.all([startS3Server(), startDynamoDbServer(), startScriptedAwsServer(CANARY.secretAccessKey)]);
  earlyDynamo = new DynamoDBClient(clientConfig(dynamoServer.endpoint));
  const on = installAllPatches({ tracer, include: ['http-client', 'aws-sdk'] });
  assert.deepEqual(on.sort(), ['aws-sdk', 'http-client']);
  s3 = new S3Client(s3Config(s3Server.endpoint));
  dynamo = new DynamoDBClient(clientConfig(dynamoServer.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await dynamo.send(new CreateTableCommand({
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'order', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'order', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
});

after(async () => {
  uninstallAllPatches();
  s3.destroy();
  dynamo.destroy();
  earlyDynamo.destroy();
  await Promise.all([s3Server.close(), dynamoServer.close(), scripted.close()]);
});

describe('AWS SDK v3 spans (s3rver, dynalite)', () => {
  test('S3 put, get, list, delete: one client span each, the HTTP span its child, bucket but no key', async () => {
    reset();
    await tracer.startActiveSpan('parent', async () => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'user-42/invoice.pdf', Body: 'hello invoice' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'user-42/invoice.pdf' }));
      assert.equal(await got.Body!.transformToString(), 'hello invoice');
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      assert.deepEqual(listed.Contents?.map((c) => c.Key), ['user-42/invoice.pdf']);
      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'user-42/invoice.pdf' }));
    });
    const spans = finishedSpans();
    const parent = only(spans, 'parent');
    for (const operation of ['PutObject', 'GetObject', 'ListObjectsV2', 'DeleteObject']) {
      const span = only(spans, `S3.${operation}`);
      assert.equal(span.parentSpanId, parent.spanId);
      assert.equal(span.tags['span.kind'], 'client');
      assert.equal(span.tags.component, 'aws-sdk');
      assert.equal(span.tags['aws.service'], 'S3');
      assert.equal(span.tags['aws.operation'], operation);
      assert.equal(span.tags['aws.region'], REGION);
      assert.equal(span.tags['aws.s3.bucket'], BUCKET);
      assert.equal(span.tags['aws.s3.key'], undefined, 'keys only when the user opts in');
      assert.equal(span.tags['aws.retry_attempts'], 0);
      assert.ok([200, 204].includes(span.tags['http.status_code'] as number));
      const http = childrenOf(spans, span);
      assert.equal(http.length, 1, `${operation}: one HTTP child`);
      assert.equal(http[0]!.tags.component, 'node-http');
      // the HTTP span's URL would show the key in its path: only scheme and authority are kept
      assert.match(String(http[0]!.tags['http.url']), /^http:\/\/127\.0\.0\.1:\d+\/REDACTED$/, operation);
    }
    // (s3rver runs in this process, so its own server spans do show the path: only client spans count)
    const clientSpans = spans.filter((s) => s.tags['span.kind'] === 'client');
    assert.ok(clientSpans.length >= 8);
    assert.ok(!JSON.stringify(clientSpans).includes('user-42'), 'the key appears in no client span');
  });

  test('the aggregated S3 class (s3.getObject) is traced; a GetObject span covers the call, not the reading of the stream', async () => {
    reset();
    const aggregated = new S3(s3Config(s3Server.endpoint));
    await aggregated.putObject({ Bucket: BUCKET, Key: 'big', Body: 'x'.repeat(100_000) });
    const got = await aggregated.getObject({ Bucket: BUCKET, Key: 'big' });
    const [, getSpan] = await waitFor(() => finishedSpans().filter((s) => s.tags.component === 'aws-sdk'), 2);
    assert.equal(getSpan!.operationName, 'S3.GetObject', 'finished before the body was read');
    assert.ok(got.Body instanceof Readable, 'the body is the SDK stream, unchanged');
    assert.equal((await got.Body!.transformToString()).length, 100_000);
    aggregated.destroy();
  });

  test('S3 errors: missing key (NoSuchKey) and missing bucket are error spans with the AWS error name', async () => {
    reset();
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'absent' })), { name: 'NoSuchKey' });
    await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })), { name: 'NoSuchBucket' });
    const [missingKey, missingBucket] = finishedSpans().filter((s) => s.tags.component === 'aws-sdk');
    assert.equal(missingKey!.operationName, 'S3.GetObject');
    assert.equal(missingKey!.tags.error, true);
    assert.equal(missingKey!.tags['http.status_code'], 404);
    assert.equal(missingKey!.logs[0]!.fields['error.kind'], 'NoSuchKey');
    assert.match(String(missingKey!.logs[0]!.fields.message), /key does not exist/);
    assert.equal(missingBucket!.logs[0]!.fields['error.kind'], 'NoSuchBucket');
  });

  test('lib-storage multipart upload: every part is its own S3 span, the body arrives whole', async () => {
    reset();
    const body = Buffer.alloc(11 * 1024 * 1024, 7);
    const upload = new Upload({ client: s3, params: { Bucket: BUCKET, Key: 'multi', Body: Readable.from([body.subarray(0, 6e6), body.subarray(6e6)]) }, partSize: 5 * 1024 * 1024, queueSize: 1 });
    await tracer.startActiveSpan('upload', () => upload.done());
    const spans = finishedSpans();
    const parent = only(spans, 'upload');
    const names = spans.filter((s) => s.parentSpanId === parent.spanId).map((s) => s.operationName).sort();
    assert.deepEqual(names, ['S3.CompleteMultipartUpload', 'S3.CreateMultipartUpload', 'S3.UploadPart', 'S3.UploadPart', 'S3.UploadPart']);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'multi' }));
    assert.equal((await got.Body!.transformToByteArray()).length, body.length);
  });

  test('DynamoDB put, get, query: table name, request id, no item values', async () => {
    reset();
    await dynamo.send(new PutItemCommand({ TableName: TABLE, Item: { customer: { S: 'c-1' }, order: { S: 'o-1' }, secret: { S: 'item-value-canary' } } }));
    const got = await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { customer: { S: 'c-1' }, order: { S: 'o-1' } } }));
    assert.equal(got.Item?.secret?.S, 'item-value-canary');
    const queried = await dynamo.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'c-1' } } }));
    assert.equal(queried.Count, 1);
    const spans = finishedSpans().filter((s) => s.tags.component === 'aws-sdk');
    assert.deepEqual(spans.map((s) => s.operationName), ['DynamoDB.PutItem', 'DynamoDB.GetItem', 'DynamoDB.Query']);
    for (const span of spans) {
      assert.equal(span.tags['aws.dynamodb.table_names'], TABLE);
      assert.match(String(span.tags['aws.request_id']), /^[A-Z0-9]{20,}$/);
      assert.equal(span.tags['http.status_code'], 200);
    }
    assert.ok(!JSON.stringify(finishedSpans()).includes('item-value-canary'));
  });

  test('lib-dynamodb DocumentClient: named for the DynamoDB operation it runs', async () => {
    reset();
    const documents = DynamoDBDocumentClient.from(dynamo);
    await documents.send(new PutCommand({ TableName: TABLE, Item: { customer: 'c-2', order: 'o-9' } }));
    const got = await documents.send(new GetCommand({ TableName: TABLE, Key: { customer: 'c-2', order: 'o-9' } }));
    assert.equal(got.Item?.order, 'o-9');
    const spans = finishedSpans().filter((s) => s.tags.component === 'aws-sdk');
    assert.deepEqual(spans.map((s) => s.operationName), ['DynamoDB.PutItem', 'DynamoDB.GetItem']);
    assert.equal(spans[1]!.tags['aws.dynamodb.table_names'], TABLE);
  });

  test('a client made before installAllPatches is traced; a bad table is an error span with its request id', async () => {
    reset();
    await assert.rejects(earlyDynamo.send(new GetItemCommand({ TableName: 'missing-table', Key: { id: { S: 'x' } } })), { name: 'ResourceNotFoundException' });
    const span = only(finishedSpans(), 'DynamoDB.GetItem');
    assert.equal(span.tags.error, true);
    assert.equal(span.tags['http.status_code'], 400);
    assert.match(String(span.tags['aws.request_id']), /^[A-Z0-9]{20,}$/);
    assert.equal(span.logs[0]!.fields['error.kind'], 'ResourceNotFoundException');
  });

  test('the callback form of send works and is traced; the callback runs in the caller\'s context', async () => {
    reset();
    const result = await tracer.startActiveSpan('caller', (caller) => new Promise<string | undefined>((resolve) => {
      dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { customer: { S: 'c-1' }, order: { S: 'o-1' } } }), (error, output) => {
        assert.equal(error, null);
        assert.equal(tracer.activeSpan(), caller);
        resolve(output?.Item?.order?.S);
      });
    }));
    assert.equal(result, 'o-1');
    only(finishedSpans(), 'DynamoDB.GetItem');
  });
});

describe('retries and signatures (scripted server checking SigV4)', () => {
  test('500 then 200: two HTTP children of one AWS span, both correctly signed, no trace header signed', async () => {
    reset();
    scripted.requests.length = 0;
    const client = new DynamoDBClient(clientConfig(scripted.endpoint));
    const ok = { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'REQ0000000000000000000000000000000000000000000042' }, body: '{"Item":{"id":{"S":"a"}}}' };
    scripted.script({ status: 500, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{"__type":"InternalServerError","message":"try again"}' }, ok);
    const got = await tracer.startActiveSpan('retrying', () => client.send(new GetItemCommand({ TableName: 'flaky', Key: { id: { S: 'a' } } })));
    assert.equal(got.Item?.id?.S, 'a');
    assert.equal(got.$metadata.attempts, 2);
    const spans = finishedSpans();
    const aws = only(spans, 'DynamoDB.GetItem');
    assert.equal(aws.tags['aws.retry_attempts'], 1);
    assert.equal(aws.tags['aws.request_id'], 'REQ0000000000000000000000000000000000000000000042');
    assert.equal(aws.tags.error, undefined);
    const http = childrenOf(spans, aws);
    assert.deepEqual(http.map((s) => s.tags['http.status_code']), [500, 200]);
    assert.equal(scripted.requests.length, 2);
    for (const [i, request] of scripted.requests.entries()) {
      assert.equal(request.signatureValid, true, `attempt ${i + 1} signed correctly`);
      assert.ok(!request.signedHeaders.some((h) => ['traceparent', 'uber-trace-id', 'tracestate', 'baggage'].includes(h)), request.signedHeaders.join(';'));
      assert.match(String(request.headers.traceparent), new RegExp(`^00-${aws.traceId}-${http[i]!.spanId}-01$`), 'injected by node:http, per attempt');
    }
    client.destroy();
  });

  test('an S3 error reply: aws.request_id and aws.request_id2 (x-amz-id-2) on the error span', async () => {
    reset();
    const client = new S3Client({ ...clientConfig(scripted.endpoint), forcePathStyle: true });
    scripted.script({
      status: 404,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'S3REQ42', 'x-amz-id-2': 'ext/id+2=' },
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>S3REQ42</RequestId></Error>',
    });
    await assert.rejects(client.send(new GetObjectCommand({ Bucket: 'bucket', Key: 'k' })), { name: 'NoSuchKey' });
    const span = only(finishedSpans(), 'S3.GetObject');
    assert.equal(span.tags['aws.request_id'], 'S3REQ42');
    assert.equal(span.tags['aws.request_id2'], 'ext/id+2=');
    assert.equal(span.tags.error, true);
    assert.equal(scripted.requests.at(-1)!.signatureValid, true);
    client.destroy();
  });
});

describe('never hurting the app', () => {
  test('a fault in the instrumentation switches it off; the call and every later call work unchanged', async () => {
    reset();
    const original = tracer.startSpan;
    tracer.startSpan = () => { throw new Error('instrumentation bug'); };
    try {
      const got = await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { customer: { S: 'c-1' }, order: { S: 'o-1' } } }));
      assert.equal(got.Item?.order?.S, 'o-1');
    } finally {
      tracer.startSpan = original;
    }
    assert.ok(!installed().includes('aws-sdk'), 'switched off');
    assert.ok(tracer.stats().instrumentationFaults >= 1);
    const again = await dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { customer: { S: 'c-1' }, order: { S: 'o-1' } } }));
    assert.equal(again.Item?.order?.S, 'o-1');
    assert.equal(finishedSpans().filter((s) => s.tags.component === 'aws-sdk').length, 0);
  });
});
