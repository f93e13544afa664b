import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { awsServiceTags, dynamoDbTableNames, lastSegment, serviceTagsOf } from '../../../../src/plugins/aws/services.js';
import type { AwsInput } from '../../../../src/plugins/aws/services.js';

function tagsOf(serviceId: string, operation: string, input: AwsInput, s3Keys = false): Record<string, string> {
  const tags: Record<string, string> = {};
  serviceTagsOf(serviceId)?.(operation, input, { s3Keys }, (key, value) => { tags[key] = value; });
  return tags;
}

describe('AWS service extras', () => {
  test('S3: the bucket; the key only when opted in', () => {
    assert.deepEqual(tagsOf('S3', 'GetObject', { Bucket: 'b', Key: 'user/42' }), { 'aws.s3.bucket': 'b' });
    assert.deepEqual(tagsOf('S3', 'GetObject', { Bucket: 'b', Key: 'user/42' }, true), { 'aws.s3.bucket': 'b', 'aws.s3.key': 'user/42' });
    assert.deepEqual(tagsOf('S3', 'ListBuckets', {}), {});
  });

  test('DynamoDB: one table, a batch\'s tables, a transaction\'s tables; never keys or values', () => {
    assert.deepEqual(tagsOf('DynamoDB', 'GetItem', { TableName: 'orders', Key: { id: { S: 'secret' } } }), { 'aws.dynamodb.table_names': 'orders' });
    assert.deepEqual(dynamoDbTableNames({ RequestItems: { b: {}, a: {} } }), ['a', 'b']);
    assert.deepEqual(dynamoDbTableNames({ TransactItems: [{ Put: { TableName: 't1', Item: {} } }, { ConditionCheck: { TableName: 't2' } }, { Update: { TableName: 't1' } }, null] }), ['t1', 't2']);
    assert.deepEqual(tagsOf('DynamoDB', 'ListTables', {}), {});
  });

  test('SQS: the queue URL and name (from the URL, or QueueName)', () => {
    assert.deepEqual(tagsOf('SQS', 'SendMessage', { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123/orders', MessageBody: 'x' }), {
      'aws.sqs.queue_url': 'https://sqs.eu-west-1.amazonaws.com/123/orders', 'aws.sqs.queue_name': 'orders', 'message_bus.destination': 'orders',
    });
    assert.deepEqual(tagsOf('SQS', 'CreateQueue', { QueueName: 'jobs' }), { 'aws.sqs.queue_name': 'jobs', 'message_bus.destination': 'jobs' });
  });

  test('SNS: the topic ARN (or target ARN) and its name', () => {
    assert.deepEqual(tagsOf('SNS', 'Publish', { TopicArn: 'arn:aws:sns:eu-west-1:123:alerts', Message: 'x' }), { 'aws.sns.topic_arn': 'arn:aws:sns:eu-west-1:123:alerts', 'message_bus.destination': 'alerts' });
    assert.equal(tagsOf('SNS', 'Publish', { TargetArn: 'arn:aws:sns:eu-west-1:123:endpoint/APNS/app/id' })['aws.sns.topic_arn'], 'arn:aws:sns:eu-west-1:123:endpoint/APNS/app/id');
  });

  test('Lambda function name, Kinesis stream name (or the name in its ARN)', () => {
    assert.deepEqual(tagsOf('Lambda', 'Invoke', { FunctionName: 'resize', Payload: new Uint8Array(1) }), { 'aws.lambda.function_name': 'resize' });
    assert.deepEqual(tagsOf('Kinesis', 'PutRecord', { StreamName: 'clicks', Data: new Uint8Array(1) }), { 'aws.kinesis.stream_name': 'clicks' });
    assert.deepEqual(tagsOf('Kinesis', 'PutRecord', { StreamARN: 'arn:aws:kinesis:eu-west-1:123:stream/views' }), { 'aws.kinesis.stream_name': 'views' });
  });

  test('services with no entry add nothing; the table is frozen; ignores non-string values', () => {
    assert.equal(serviceTagsOf('EC2'), undefined);
    assert.equal(serviceTagsOf('toString'), undefined);
    assert.ok(Object.isFrozen(awsServiceTags));
    assert.deepEqual(tagsOf('S3', 'GetObject', { Bucket: 42 as unknown as string }), {});
    assert.equal(lastSegment('no-separators'), 'no-separators');
  });
});
