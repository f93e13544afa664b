// A small SNS test server speaking the AWS query protocol @aws-sdk/client-sns uses (form-encoded
// `Action=Publish&...`, XML replies). It answers CreateTopic, Publish and PublishBatch and keeps
// each published message with its attributes, parsed back from the form. Not a real SNS.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PublishedMessage {
  topicArn: string;
  message: string;
  attributes: Record<string, { DataType: string; StringValue?: string }>;
}

export interface SnsServer {
  endpoint: string;
  published: PublishedMessage[];
  actions: string[];
  close(): Promise<void>;
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` under `prefix`. */
function attributesOf(form: URLSearchParams, prefix: string): PublishedMessage['attributes'] {
  const attributes: PublishedMessage['attributes'] = {};
  for (let n = 1; form.has(`${prefix}MessageAttributes.entry.${n}.Name`); n++) {
    const entry = `${prefix}MessageAttributes.entry.${n}`;
    const value: { DataType: string; StringValue?: string } = { DataType: form.get(`${entry}.Value.DataType`) ?? '' };
    const text = form.get(`${entry}.Value.StringValue`);
    if (text !== null) value.StringValue = text;
    attributes[form.get(`${entry}.Name`)!] = value;
  }
  return attributes;
}

function xml(action: string, result: string): string {
  return `<${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

export async function startSnsServer(): Promise<SnsServer> {
  const published: PublishedMessage[] = [];
  const actions: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const action = form.get('Action') ?? '';
      actions.push(action);
      let body: string;
      if (action === 'CreateTopic') {
        body = xml(action, `<TopicArn>arn:aws:sns:us-east-1:000000000000:${form.get('Name')}</TopicArn>`);
      } else if (action === 'Publish') {
        published.push({ topicArn: form.get('TopicArn') ?? '', message: form.get('Message') ?? '', attributes: attributesOf(form, '') });
        body = xml(action, `<MessageId>${randomUUID()}</MessageId>`);
      } else if (action === 'PublishBatch') {
        let members = '';
        for (let n = 1; form.has(`PublishBatchRequestEntries.member.${n}.Id`); n++) {
          const prefix = `PublishBatchRequestEntries.member.${n}.`;
          published.push({ topicArn: form.get('TopicArn') ?? '', message: form.get(`${prefix}Message`) ?? '', attributes: attributesOf(form, prefix) });
          members += `<member><Id>${form.get(`${prefix}Id`)}</Id><MessageId>${randomUUID()}</MessageId></member>`;
        }
        body = xml(action, `<Successful>${members}</Successful><Failed></Failed>`);
      } else {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>no ${action} here</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    published,
    actions,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
