import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { objectKeyOf } from '../../src/infrastructure/attachments/s3AttachmentStorage';
import { eventually } from '../support/eventually';
import { FileServer, pdfBytes } from '../support/fileServer';
import { createChannel, customer, postMessage } from '../support/inbound';
import { startTestParley, type TestParley } from '../support/parley';
import { S3_BUCKET, startS3 } from '../support/s3';

/** ATTACHMENT_STORAGE=s3 end to end, against s3rver: the bucket holds the file sealed. */
describe('attachments in S3-compatible storage', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let parley: TestParley & { stop(): Promise<void> };
  let files: FileServer;
  const pdf = pdfBytes();

  beforeAll(async () => {
    s3 = await startS3();
    files = await FileServer.start({
      '/doc.pdf': { status: 200, type: 'application/pdf', body: pdf },
    });
    parley = await startTestParley({ WEBHOOK_ALLOW_PRIVATE: 'true', ...s3.env });
  });
  afterAll(async () => {
    await parley.stop();
    await files.close();
    await s3.stop();
  });

  it('keeps an incoming file in the bucket, sealed, and serves it byte for byte', async () => {
    const channel = await createChannel(parley);
    const posted = await postMessage(parley, channel, {
      ...customer('s3-1'),
      attachments: [
        {
          url: `${files.url}/doc.pdf`,
          size: pdf.length,
          name: 'doc.pdf',
          mimeType: 'application/pdf',
        },
      ],
    });
    expect(posted.status).toBe(200);
    const { rows } = await eventually(
      () =>
        parley.deps.pool.query<{ attachment_id: string; status: string }>(
          `SELECT attachment_id, status FROM attachments.files WHERE message_id = $1`,
          [posted.body.message_id],
        ),
      (r) => r.rows[0]?.status === 'stored',
    );
    const id = rows[0]?.attachment_id as string;

    const served = await parley.request(`/api/attachments/${id}`, { headers: parley.admin });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(pdf)).toBe(true);

    // what the bucket holds is the sealed file, not the PDF
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const object = await client.send(
      new GetObjectCommand({ Bucket: S3_BUCKET, Key: objectKeyOf(id) }),
    );
    const stored = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
    client.destroy();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.includes(Buffer.from('%PDF-'))).toBe(false);
    const { rows: blobs } = await parley.deps.pool.query('SELECT 1 FROM attachments.blobs');
    expect(blobs).toEqual([]);
  }, 60_000);
});
