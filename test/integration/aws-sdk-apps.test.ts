// CommonJS and ESM apps, with the built package: clients made before and after
// installAllPatches(), SDK packages loaded before and after it, all traced.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDynamoDbServer } from '../support/aws-servers.js';
import type { LocalServer } from '../support/aws-servers.js';
import { startSqsServer } from '../support/sqs-server.js';
import type { SqsServer } from '../support/sqs-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dynamo: LocalServer;
let sqs: SqsServer;

function run(source: string, flags: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, '-e', source], {
      cwd: root,
      env: { ...process.env, DYNAMO: dynamo.endpoint, SQS: sqs.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const CONFIG = `const config = (endpoint) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDAPP', secretAccessKey: 'secret' } });`;

function spanNames(result: { code: number | null; stdout: string; stderr: string }): string[] {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as string[];
}

before(async () => {
  [dynamo, sqs] = await Promise.all([startDynamoDbServer(), startSqsServer()]);
});

after(async () => {
  await Promise.all([dynamo.close(), sqs.close()]);
});

test('CommonJS app: a client made before installAllPatches, one after, and a package required after', async () => {
  const result = await run(`
    ${CONFIG}
    const { DynamoDBClient, ListTablesCommand } = require('@aws-sdk/client-dynamodb');
    const early = new DynamoDBClient(config(process.env.DYNAMO));
    const { installAllPatches } = require('./dist/cjs/index.js');
    const { createTestTracer } = require('./dist/cjs/testing/index.js');
    const { tracer, finishedSpans } = createTestTracer();
    installAllPatches({ tracer, include: ['aws-sdk'] });
    const late = new DynamoDBClient(config(process.env.DYNAMO));
    const { SQSClient, CreateQueueCommand } = require('@aws-sdk/client-sqs');
    (async () => {
      await early.send(new ListTablesCommand({}));
      await late.send(new ListTablesCommand({}));
      await new SQSClient(config(process.env.SQS)).send(new CreateQueueCommand({ QueueName: 'cjs' }));
      console.log(JSON.stringify(finishedSpans().map((s) => s.operationName)));
    })();
  `, []);
  assert.deepEqual(spanNames(result), ['DynamoDB.ListTables', 'DynamoDB.ListTables', 'SQS.CreateQueue']);
});

test('ESM app: an SDK imported before installAllPatches (static import) and one imported after (dynamic import)', async () => {
  const result = await run(`
    ${CONFIG}
    import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
    import { installAllPatches } from './dist/esm/index.js';
    import { createTestTracer } from './dist/esm/testing/index.js';
    const early = new DynamoDBClient(config(process.env.DYNAMO));
    const { tracer, finishedSpans } = createTestTracer();
    installAllPatches({ tracer, include: ['aws-sdk'] });
    const { SQSClient, CreateQueueCommand } = await import('@aws-sdk/client-sqs');
    await early.send(new ListTablesCommand({}));
    await new DynamoDBClient(config(process.env.DYNAMO)).send(new ListTablesCommand({}));
    await new SQSClient(config(process.env.SQS)).send(new CreateQueueCommand({ QueueName: 'esm' }));
    console.log(JSON.stringify(finishedSpans().map((s) => s.operationName)));
  `, ['--input-type=module']);
  assert.deepEqual(spanNames(result), ['DynamoDB.ListTables', 'DynamoDB.ListTables', 'SQS.CreateQueue']);
});

test('no code change: an ESM app preloaded with the register entry gets AWS spans (console exporter)', async () => {
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'opentracing-async-instrumentation/register', '--input-type=module', '-e', `
      import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
      const client = new DynamoDBClient({ endpoint: process.env.DYNAMO, region: 'us-east-1', credentials: { accessKeyId: 'AKIDAPP', secretAccessKey: 'secret' } });
      await client.send(new ListTablesCommand({}));
      client.destroy();
    `], {
      cwd: root,
      env: { ...process.env, DYNAMO: dynamo.endpoint, OTEL_SERVICE_NAME: 'preloaded', OTEL_TRACES_EXPORTER: 'console', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /DynamoDB\.ListTables/);
});
