import type { AttachmentStorage } from '../../application/ports/attachmentStorage';
import { createTestDatabase } from '../../../test/support/database';
import { S3_BUCKET, startS3 } from '../../../test/support/s3';
import { postgresAttachmentStorage } from './postgresAttachmentStorage';
import { s3AttachmentStorage } from './s3AttachmentStorage';

/** One contract for every attachment storage: what is put is got back, byte for byte. */
const storageContract = (name: string, storage: () => AttachmentStorage) =>
  describe(`${name} attachment storage`, () => {
    const sealed = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 13) % 256));

    it('gives back exactly what was put', async () => {
      await storage().put('0123456789abcdef01234567', sealed);
      expect((await storage().get('0123456789abcdef01234567'))?.equals(sealed)).toBe(true);
    });
    it('overwrites on a second put (a retried write)', async () => {
      await storage().put('0123456789abcdef0123456a', Buffer.from('first'));
      await storage().put('0123456789abcdef0123456a', Buffer.from('second'));
      expect((await storage().get('0123456789abcdef0123456a'))?.toString()).toBe('second');
    });
    it('answers null for an id with nothing stored', async () =>
      expect(await storage().get('ffffffffffffffffffffffff')).toBeNull());
    it('keeps an empty file', async () => {
      await storage().put('0123456789abcdef0123456b', Buffer.alloc(0));
      expect((await storage().get('0123456789abcdef0123456b'))?.length).toBe(0);
    });
  });

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
storageContract('PostgreSQL', () => postgresAttachmentStorage(db.pool));

let s3: ReturnType<typeof s3AttachmentStorage>;
let server: Awaited<ReturnType<typeof startS3>>;
beforeAll(async () => {
  server = await startS3();
  s3 = s3AttachmentStorage({
    endpoint: server.endpoint,
    region: 'us-east-1',
    bucket: S3_BUCKET,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
});
afterAll(async () => {
  s3.close();
  await server.stop();
});
storageContract('S3 (s3rver)', () => s3);
