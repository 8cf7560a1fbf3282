import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { AttachmentStorage } from '../../application/ports/attachmentStorage';
import type { Config } from '../config';

export type S3Settings = Config['attachments']['s3'];

/** The object key of an attachment: a prefix of its own, so the bucket can hold other things. */
export const objectKeyOf = (attachmentId: string): string => `attachments/${attachmentId}`;

/**
 * S3-compatible object storage for production (AWS S3, MinIO, Ceph, R2…): one object per
 * attachment, holding its sealed bytes. Without an access key the SDK's usual chain (instance
 * role, AWS_* variables) is used.
 */
export const s3AttachmentStorage = (
  settings: S3Settings,
): AttachmentStorage & { close(): void } => {
  if (settings.bucket === null) throw new Error('S3_BUCKET is required for S3 attachment storage');
  const bucket = settings.bucket;
  const clientConfig: S3ClientConfig = {
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint === null ? {} : { endpoint: settings.endpoint }),
    ...(settings.accessKeyId === null || settings.secretAccessKey === null
      ? {}
      : {
          credentials: {
            accessKeyId: settings.accessKeyId,
            secretAccessKey: settings.secretAccessKey,
          },
        }),
  };
  const client = new S3Client(clientConfig);
  return {
    kind: 's3',
    put: async (attachmentId, sealed) => {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: objectKeyOf(attachmentId),
          Body: sealed,
          ContentType: 'application/octet-stream',
        }),
      );
    },
    get: async (attachmentId) => {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: objectKeyOf(attachmentId) }),
        );
        if (object.Body === undefined) return null;
        return Buffer.from(await object.Body.transformToByteArray());
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey')
          return null;
        throw error;
      }
    },
    close: () => client.destroy(),
  };
};
