// The hook finds the shared smithy Client through the prototype chains of the real SDK's classes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { S3, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { installedAwsClientPackages, patchAwsExports, sendOwnerOf } from '../../../src/hooks/aws-sdk.js';
import { isWrapped } from '../../../src/hooks/wrap.js';

test('every client class leads to one shared send owner, which has destroy', () => {
  const owner = sendOwnerOf(S3Client);
  assert.ok(owner !== null);
  assert.equal(sendOwnerOf(S3), owner, 'the aggregated class');
  assert.equal(sendOwnerOf(DynamoDBClient), owner, 'another service');
  assert.equal(sendOwnerOf(DynamoDBDocumentClient), owner, 'lib-dynamodb');
  assert.equal(sendOwnerOf(class NotAClient {}), null);
  assert.equal(sendOwnerOf(undefined), null);
});

test('patching through a client package wraps send once; undo restores it', () => {
  const owner = sendOwnerOf(S3Client)!;
  const original = owner.send;
  const undo = patchAwsExports(createRequire(import.meta.url)('@aws-sdk/client-s3'));
  assert.equal(undo.length, 1);
  assert.ok(isWrapped(owner.send));
  assert.equal(owner.send.name, original.name);
  assert.deepEqual(patchAwsExports(createRequire(import.meta.url)('@aws-sdk/client-dynamodb')), [], 'already wrapped');
  for (const restore of undo) restore();
  assert.equal(owner.send, original);
});

test('the installed client packages are found by listing @aws-sdk, not from a list of services', () => {
  const found = installedAwsClientPackages();
  for (const name of ['@aws-sdk/client-s3', '@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/client-sns', '@aws-sdk/lib-dynamodb']) assert.ok(found.includes(name), name);
  assert.ok(!found.includes('@aws-sdk/core'));
});
