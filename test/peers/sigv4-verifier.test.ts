// The test server's SigV4 verifier (node:crypto, ours) against @smithy/signature-v4, an
// independent signer: what smithy signs verifies; a changed header, body or secret does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySigV4 } from '../support/scripted-aws-server.js';

/** The hash constructor smithy expects: with a secret, an HMAC. */
class Sha256 {
  private readonly hash;
  constructor(secret?: Uint8Array | string) { this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret); }
  update(data: Uint8Array | string): void { this.hash.update(data); }
  digest(): Promise<Uint8Array> { return Promise.resolve(this.hash.digest()); }
}

async function signed(service: string, path: string, query: Record<string, string>, body: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDPEER', secretAccessKey: 'peer-secret' }, sha256: Sha256 as never });
  const request = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 8000, path, query,
    headers: { host: '127.0.0.1:8000', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
    body,
  });
  return Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

test('requests signed by @smithy/signature-v4 verify; tampered ones do not', async () => {
  const body = '{"TableName":"t"}';
  const headers = await signed('dynamodb', '/', {}, body);
  assert.equal(verifySigV4('POST', '/', headers, Buffer.from(body), 'peer-secret').valid, true);
  assert.equal(verifySigV4('POST', '/', headers, Buffer.from(`${body} `), 'peer-secret').valid, false, 'body changed');
  assert.equal(verifySigV4('POST', '/', { ...headers, 'x-amz-target': 'DynamoDB_20120810.PutItem' }, Buffer.from(body), 'peer-secret').valid, false, 'signed header changed');
  assert.equal(verifySigV4('POST', '/', headers, Buffer.from(body), 'other-secret').valid, false, 'secret');
  assert.equal(verifySigV4('POST', '/', { ...headers, traceparent: '00-x' }, Buffer.from(body), 'peer-secret').valid, true, 'an unsigned header added later changes nothing');
  // The SDK's serialisers put already-encoded paths in the request they sign, raw query values.
  const withQuery = await signed('sqs', '/000000000000/my%20queue', { b: '2', a: 'x y' }, body);
  assert.equal(verifySigV4('POST', '/000000000000/my%20queue?b=2&a=x%20y', withQuery, Buffer.from(body), 'peer-secret').valid, true, 'path and query encoding');
});
