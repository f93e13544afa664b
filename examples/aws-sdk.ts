import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { initTracer, installAllPatches, sqsMessageContext } from 'opentracing-async-instrumentation';

const tracer = initTracer({ serviceName: 'orders', reporter: { exporter: 'console' } });
installAllPatches(); // every AWS SDK v3 client, made before or after this line

// Region, credentials and endpoints come from the usual AWS_* environment variables.
const dynamo = new DynamoDBClient({});
const sqs = new SQSClient({});
const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));

await tracer.startActiveSpan('place_order', async () => {
  await dynamo.send(new ListTablesCommand({})); // span DynamoDB.ListTables, its HTTP span a child
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'order 42' })); // carries the trace
});

// The consumer: each message's processing continues the producer's trace.
const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
for (const message of Messages) {
  await tracer.startActiveSpan('process_order', { childOf: sqsMessageContext(message) }, async () => {
    // ... handle message.Body; spans started here are children of process_order
  });
}
dynamo.destroy();
sqs.destroy();
await tracer.close();
