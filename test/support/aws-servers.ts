// Starters for the S3- and DynamoDB-compatible servers from npm that the AWS SDK tests call with
// the real SDK clients: s3rver (in-process, files in a temporary folder) and dynalite (in-process,
// in memory). Both listen on 127.0.0.1, port 0; a server that cannot start throws.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';

export interface LocalServer {
  endpoint: string;
  close(): Promise<void>;
}

export async function startDynamoDbServer(): Promise<LocalServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function startS3Server(): Promise<LocalServer> {
  const directory = mkdtempSync(path.join(tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
