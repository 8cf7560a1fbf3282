import { createHash } from 'node:crypto';
import { dialogOpened, messageSent } from '../../domain/testing/builders/dialog';
import { CONTACT, DIALOG } from '../../domain/testing/builders/ids';
import { memorySubjectKeys } from '../../../test/support/subjectKeys';
import { given, inStream, NOW, type World } from '../../../test/support/useCase';
import { attachmentAad, attachmentIdOf } from '../attachments/attachmentId';
import type { AttachmentStorage, KeptFileList, ListedUpload } from '../ports/attachmentStorage';
import { streams } from '../streams';
import { replyMessageId } from './replyToDialog';
import { replyWithFiles, type ReplyFile } from './replyWithFiles';

const PUBLIC_URL = 'https://parley.example';
const KEY = 'retry-me';
const MESSAGE_ID = replyMessageId(DIALOG, KEY);
const FILE_ID = attachmentIdOf(MESSAGE_ID, 0);
const invoice: ReplyFile = {
  name: 'invoice.txt',
  mimeType: 'text/plain',
  bytes: Buffer.from('due: 42'),
};

/** Files and the list of kept files, in memory: what the use case stored and listed. */
const filesWorld = () => {
  const sealed = new Map<string, Buffer>();
  const listed: ListedUpload[] = [];
  const storage: AttachmentStorage = {
    kind: 'memory',
    put: async (id, bytes) => void sealed.set(id, bytes),
    get: async (id) => sealed.get(id) ?? null,
  };
  const keptFiles: KeptFileList = { listUpload: async (file) => void listed.push(file) };
  const keys = memorySubjectKeys();
  const replying =
    (files: readonly ReplyFile[], times = 1) =>
    async (world: World) => {
      const deps = { ...world, storage, keptFiles, subjectKeys: keys, publicUrl: PUBLIC_URL };
      const request = {
        dialogId: DIALOG,
        text: 'your invoice',
        html: null,
        attachments: [],
        idempotencyKey: KEY,
        files,
      };
      let sent = await replyWithFiles(deps, request, world.context);
      for (let again = 1; again < times; again++)
        sent = await replyWithFiles(deps, request, world.context);
      return sent;
    };
  return { sealed, listed, keys, replying };
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const openDialog = { [streams.dialog(DIALOG)]: [dialogOpened()] };

const theReply = messageSent({
  operatorId: null,
  text: 'your invoice',
  attachments: [
    {
      id: FILE_ID,
      url: `${PUBLIC_URL}/api/attachments/${FILE_ID}`,
      size: invoice.bytes.length,
      name: 'invoice.txt',
      mimeType: 'text/plain',
    },
  ],
  messageId: MESSAGE_ID,
  sentAt: NOW,
  requestHash: expect.any(String) as string,
});

const theFileStored = {
  type: 'AttachmentStored',
  data: {
    attachmentId: FILE_ID,
    dialogId: DIALOG,
    messageId: MESSAGE_ID,
    index: 0,
    source: 'uploaded',
    size: invoice.bytes.length,
    sha256: sha256(invoice.bytes),
    declaredType: 'text/plain',
    sniffedType: null,
    storedAt: NOW,
  },
};

describe('replyWithFiles, on the in-memory store', () => {
  it('given an open dialog, when a reply carries a file, then the file is kept under the reply, which names it, and recorded stored', async () => {
    const { sealed, listed, keys, replying } = filesWorld();
    await given(openDialog)
      .when(replying([invoice]))
      .then(() => ({
        result: { messageId: MESSAGE_ID },
        events: [
          ...inStream(streams.dialog(DIALOG), theReply),
          ...inStream(streams.attachment(FILE_ID), theFileStored),
        ],
      }));
    // sealed with the dialog's contact's key, so erasing the contact erases the file
    const stored = sealed.get(FILE_ID) as Buffer;
    expect(await keys.open(CONTACT, stored, attachmentAad(FILE_ID))).toEqual(invoice.bytes);
    expect(listed).toEqual([
      {
        attachmentId: FILE_ID,
        dialogId: DIALOG,
        messageId: MESSAGE_ID,
        index: 0,
        contactId: CONTACT,
        name: 'invoice.txt',
        declaredType: 'text/plain',
        size: invoice.bytes.length,
        sha256: sha256(invoice.bytes),
        sniffedType: null,
      },
    ]);
  });

  it('given a dialog that does not exist, when a reply carries a file, then it is refused and nothing is stored', async () => {
    const { sealed, listed, replying } = filesWorld();
    await given()
      .when(replying([invoice]))
      .thenFails('E_DIALOG_NOT_FOUND');
    expect([...sealed.keys(), ...listed]).toEqual([]);
  });

  it('given a reply sent, when it is retried under its Idempotency-Key, then the same file ids are used and nothing is appended again', async () => {
    const { sealed, replying } = filesWorld();
    await given(openDialog)
      .when(replying([invoice], 2))
      .then(() => ({
        result: { messageId: MESSAGE_ID },
        events: [
          ...inStream(streams.dialog(DIALOG), theReply),
          ...inStream(streams.attachment(FILE_ID), theFileStored),
        ],
      }));
    expect([...sealed.keys()]).toEqual([FILE_ID]);
  });

  it('given the key used for another reply, when a reply with files comes under it, then it is refused and nothing is appended', () => {
    const { replying } = filesWorld();
    const earlier = messageSent({ messageId: MESSAGE_ID, requestHash: 'of-another-body' });
    return given({ [streams.dialog(DIALOG)]: [dialogOpened(), earlier] })
      .when(replying([invoice]))
      .thenFails('E_IDEMPOTENCY_CONFLICT');
  });
});
