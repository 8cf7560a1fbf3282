import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

type S3rverServer = { run(): Promise<AddressInfo>; close(): Promise<void> };
// s3rver ships no type definitions
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverServer;

export const S3_BUCKET = 'parley-attachments';

/** s3rver (a local S3-compatible server from npm) on 127.0.0.1 with one bucket, in a temp dir. */
export const startS3 = async (): Promise<{
  endpoint: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}> => {
  const directory = await mkdtemp(path.join(tmpdir(), 'parley-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: S3_BUCKET, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: {
      ATTACHMENT_STORAGE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
};
