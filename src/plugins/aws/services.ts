// What an AWS call's span says beyond the common tags, one small entry per service: the resource
// the call is about (bucket, table, queue, topic, function, stream), read from the command's
// input. Pure functions of the input; they never read item values, bodies or message contents.

export type AwsInput = Readonly<Record<string, unknown>>;

export interface AwsTagOptions {
  /** Record S3 object keys (`aws.s3.key`): off by default, keys often hold user data. */
  readonly s3Keys: boolean;
}

/** Adds the service's tags for one call; `operation` is e.g. `GetObject`. */
export type AwsServiceTags = (operation: string, input: AwsInput, options: AwsTagOptions, tag: (key: string, value: string) => void) => void;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The part after the last `/` or `:` (queue URL → name, topic or stream ARN → name). */
export function lastSegment(value: string): string {
  return value.slice(Math.max(value.lastIndexOf('/'), value.lastIndexOf(':')) + 1);
}

const s3: AwsServiceTags = (_operation, input, options, tag) => {
  const bucket = text(input.Bucket);
  if (bucket !== undefined) tag('aws.s3.bucket', bucket);
  const key = text(input.Key);
  if (options.s3Keys && key !== undefined) tag('aws.s3.key', key);
};

const TRANSACT_PARTS = ['Get', 'Put', 'Update', 'Delete', 'ConditionCheck'] as const;

/** DynamoDB: one table, the tables of a batch (`RequestItems`) or of a transaction. */
export function dynamoDbTableNames(input: AwsInput): string[] {
  const single = text(input.TableName);
  if (single !== undefined) return [single];
  const names = new Set<string>();
  const requestItems = input.RequestItems;
  if (requestItems !== null && typeof requestItems === 'object') for (const name of Object.keys(requestItems)) names.add(name);
  if (Array.isArray(input.TransactItems)) {
    for (const item of input.TransactItems as Record<string, { TableName?: unknown } | undefined>[]) {
      for (const part of TRANSACT_PARTS) {
        const name = text(item?.[part]?.TableName);
        if (name !== undefined) names.add(name);
      }
    }
  }
  return [...names].sort();
}

const dynamoDb: AwsServiceTags = (_operation, input, _options, tag) => {
  const names = dynamoDbTableNames(input);
  if (names.length > 0) tag('aws.dynamodb.table_names', names.join(','));
};

const sqs: AwsServiceTags = (_operation, input, _options, tag) => {
  const url = text(input.QueueUrl);
  if (url !== undefined) tag('aws.sqs.queue_url', url);
  const name = text(input.QueueName) ?? (url !== undefined ? lastSegment(url) : undefined);
  if (name !== undefined) {
    tag('aws.sqs.queue_name', name);
    tag('message_bus.destination', name);
  }
};

const sns: AwsServiceTags = (_operation, input, _options, tag) => {
  const arn = text(input.TopicArn) ?? text(input.TargetArn);
  if (arn === undefined) return;
  tag('aws.sns.topic_arn', arn);
  tag('message_bus.destination', lastSegment(arn));
};

const lambda: AwsServiceTags = (_operation, input, _options, tag) => {
  const name = text(input.FunctionName);
  if (name !== undefined) tag('aws.lambda.function_name', name);
};

const kinesis: AwsServiceTags = (_operation, input, _options, tag) => {
  const name = text(input.StreamName) ?? (text(input.StreamARN) !== undefined ? lastSegment(input.StreamARN as string) : undefined);
  if (name !== undefined) tag('aws.kinesis.stream_name', name);
};

/** By the SDK's `serviceId` (what `client.config.serviceId` says). */
export const awsServiceTags: Readonly<Record<string, AwsServiceTags>> = Object.freeze({
  S3: s3,
  DynamoDB: dynamoDb,
  SQS: sqs,
  SNS: sns,
  Lambda: lambda,
  Kinesis: kinesis,
});

/** The service's tag entry, or undefined for services with no extras. */
export function serviceTagsOf(serviceId: string): AwsServiceTags | undefined {
  return Object.prototype.hasOwnProperty.call(awsServiceTags, serviceId) ? awsServiceTags[serviceId] : undefined;
}
