import { eventually } from '../support/eventually';
import { createChannel, customer, eventCount, postMessage } from '../support/inbound';
import { pngBytes } from '../support/fileServer';
import { createOperator, subscribe, useWebhookWorld } from '../support/webhooks';

/** SPEC §2.1: an operator's reply may carry files (multipart), sent to integrators as signed links. */
const MAX_BYTES = 64 * 1024;

type Item = { id: string; name: string; state: string; mimeType: string; download: string | null };

describe('operators send files (multipart replies)', () => {
  const world = useWebhookWorld({ ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
  const png = pngBytes(4096);
  const notes = Buffer.from('line one\nстрока два\n', 'utf8');

  const form = (parts: Readonly<{ text?: string; files: [string, string, Buffer][] }>) => {
    const body = new FormData();
    if (parts.text !== undefined) body.append('text', parts.text);
    for (const [name, type, bytes] of parts.files)
      body.append('files', new Blob([new Uint8Array(bytes)], { type }), name);
    return body;
  };

  const openDialog = async (reference: string) => {
    const channel = await createChannel(world.parley, reference);
    const posted = await postMessage(world.parley, channel, {
      ...customer(`uploads-${reference}`),
      reference,
      text: 'send me the photo',
    });
    return posted.body.dialog_id as string;
  };

  it('stores the uploads, shows them stored, serves them byte for byte, and sends them as signed links', async () => {
    const { parley, receiver } = world;
    await subscribe(parley, receiver, ['message.created']);
    const operator = await createOperator(parley);
    const dialogId = await openDialog('upload-ok');

    const response = await parley.request(`/api/dialogs/${dialogId}/messages`, {
      method: 'POST',
      headers: operator.auth,
      body: form({
        text: 'here you are',
        files: [
          ['sofa.png', 'image/png', png],
          ['notes.txt', 'text/plain', notes],
        ],
      }),
    });
    expect(response.status).toBe(201);
    const { message_id: messageId } = (await response.json()) as { message_id: string };

    const items = await eventually(
      async () => {
        const r = await parley.request(`/api/dialogs/${dialogId}/messages`, {
          headers: operator.auth,
        });
        const body = (await r.json()) as { items?: { message_id: string; attachments: Item[] }[] };
        return body.items?.find((m) => m.message_id === messageId)?.attachments ?? [];
      },
      (found) => found.length === 2 && found.every((a) => a.state === 'stored'),
    );
    expect(items.map((a) => [a.name, a.mimeType])).toEqual([
      ['sofa.png', 'image/png'],
      ['notes.txt', 'text/plain'],
    ]);
    for (const [item, bytes] of [
      [items[0], png],
      [items[1], notes],
    ] as const) {
      const served = await parley.request(item?.download as string, { headers: operator.auth });
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    }

    await receiver.waitFor((r) =>
      r.accepted.some((x) => x.payload?.data.message?.id === messageId),
    );
    const payload = receiver.accepted.find(
      (x) => x.payload?.data.message?.id === messageId,
    )?.payload;
    const sent = payload?.data.message?.attachments as { url: string; download_url: string }[];
    expect(sent).toHaveLength(2);
    // integrators get the signed link, never the staff route
    expect(sent[0]?.url).toBe(sent[0]?.download_url);
    const fetched = await fetch(sent[0]?.download_url as string);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(png)).toBe(true);
  }, 60_000);

  it('refuses a file over ATTACHMENT_MAX_BYTES with 413, appending nothing', async () => {
    const { parley } = world;
    const operator = await createOperator(parley, 'Petya');
    const dialogId = await openDialog('upload-large');
    const before = await eventCount(parley);
    const response = await parley.request(`/api/dialogs/${dialogId}/messages`, {
      method: 'POST',
      headers: operator.auth,
      body: form({
        files: [['huge.bin', 'application/octet-stream', Buffer.alloc(MAX_BYTES + 1)]],
      }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'E_PAYLOAD_TOO_LARGE' });
    expect(await eventCount(parley)).toBe(before);
  });

  it('refuses a file name over the attachment name limit with 400, appending nothing', async () => {
    const { parley } = world;
    const operator = await createOperator(parley, 'Masha');
    const dialogId = await openDialog('upload-nul');
    const before = await eventCount(parley);
    const response = await parley.request(`/api/dialogs/${dialogId}/messages`, {
      method: 'POST',
      headers: operator.auth,
      body: form({ files: [[`${'a'.repeat(1100)}.png`, 'image/png', png]] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'E_VALIDATION' });
    expect(await eventCount(parley)).toBe(before);
  });

  it('answers 404 for an upload to a dialog that does not exist, storing nothing', async () => {
    const { parley } = world;
    const response = await parley.request(`/api/dialogs/${'f'.repeat(24)}/messages`, {
      method: 'POST',
      headers: parley.admin,
      body: form({ files: [['a.png', 'image/png', png]] }),
    });
    expect(response.status).toBe(404);
    const { rows } = await parley.deps.pool.query(
      `SELECT 1 FROM attachments.files WHERE dialog_id = $1`,
      ['f'.repeat(24)],
    );
    expect(rows).toEqual([]);
  });
});
