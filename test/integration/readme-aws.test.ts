// The README's AWS SDK snippet is examples/aws-sdk.ts verbatim, and it runs against the local
// DynamoDB (dynalite) and SQS test servers, configured the way any AWS SDK app is: AWS_* variables.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { startDynamoDbServer } from '../support/aws-servers.js';
import type { LocalServer } from '../support/aws-servers.js';
import { startSqsServer } from '../support/sqs-server.js';
import type { SqsServer } from '../support/sqs-server.js';

const root = new URL('../../', import.meta.url);
const run = promisify(execFile);
let dynamo: LocalServer;
let sqs: SqsServer;

before(async () => {
  [dynamo, sqs] = await Promise.all([startDynamoDbServer(), startSqsServer()]);
});

after(async () => {
  await Promise.all([dynamo.close(), sqs.close()]);
});

test('the README AWS SDK snippet is examples/aws-sdk.ts, word for word', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const match = /<!-- aws-sdk: examples\/aws-sdk\.ts[^>]*-->\n```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, 'README has the AWS SDK block');
  assert.equal(match[1], readFileSync(new URL('examples/aws-sdk.ts', root), 'utf8'));
});

test('the AWS SDK snippet runs: the consumer\'s span is drawn under the SendMessage span', async () => {
  const { stderr } = await run(process.execPath, ['--import', 'tsx', 'examples/aws-sdk.ts'], {
    cwd: root,
    timeout: 30_000,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  const lines = stderr.split('\n');
  const at = (pattern: RegExp, from = 0): number => lines.findIndex((line, i) => i >= from && pattern.test(line));
  const indent = (i: number): number => lines[i]!.length - lines[i]!.trimStart().length;
  const root_ = at(/place_order/);
  const list = at(/DynamoDB\.ListTables/, root_);
  const send = at(/SQS\.SendMessage/, root_);
  const consume = at(/process_order/, send);
  assert.ok(root_ >= 0 && list > root_ && send > root_ && consume > send, stderr);
  assert.ok(indent(list) > indent(root_) && indent(send) > indent(root_), stderr);
  assert.ok(indent(consume) > indent(send), `process_order drawn inside SQS.SendMessage:\n${stderr}`);
});
