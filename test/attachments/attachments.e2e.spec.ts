import { eventually } from '../support/eventually';
import { createChannel, customer, eventsOfType, postMessage } from '../support/inbound';
import { FileServer, pdfBytes, pngBytes } from '../support/fileServer';
import { subscribe, useWebhookWorld } from '../support/webhooks';

/**
 * SPEC §2.1, attachments kept: fetched in the background, stored, served byte for byte to
 * staff and to integrators through signed links that expire.
 */
// long enough for a loaded machine to fetch the link in time; the test then waits it out
const TTL_SECONDS = 20;

type Item = {
  id: string;
  url: string;
  name: string;
  state: string;
  reason: string | null;
  sniffed_type: string | null;
  sha256: string | null;
  download: string | null;
};

describe('attachments kept (SPEC §2.1)', () => {
  const world = useWebhookWorld({ ATTACHMENT_LINK_TTL_SECONDS: String(TTL_SECONDS) });
  const png = pngBytes();
  const pdf = pdfBytes();
  let files: FileServer;

  beforeAll(async () => {
    files = await FileServer.start({
      '/photo.png': { status: 200, type: 'image/png', body: png },
      '/invoice.pdf': { status: 200, type: 'application/pdf', body: pdf },
    });
  });
  afterAll(() => files.close());

  const messagesOf = async (dialogId: string): Promise<Item[]> => {
    const response = await world.parley.request(`/api/dialogs/${dialogId}/messages`, {
      headers: world.parley.admin,
    });
    // 404 until the read model has the dialog
    if (response.status !== 200) return [];
    const body = (await response.json()) as { items: { attachments: Item[] }[] };
    return body.items.flatMap((m) => m.attachments);
  };

  it('answers 200 at once, keeps two files, records why the third failed, serves them byte for byte and through signed links', async () => {
    const { parley, receiver } = world;
    await subscribe(parley, receiver, ['message.created']);
    const channel = await createChannel(parley);
    files.hold(); // no file is served until the answer is in

    const posted = await postMessage(parley, channel, {
      ...customer('attachments-1'),
      text: 'three files',
      attachments: [
        {
          url: `${files.url}/photo.png`,
          size: png.length,
          name: 'photo.png',
          mimeType: 'image/png',
        },
        {
          url: `${files.url}/invoice.pdf`,
          size: pdf.length,
          name: 'счёт "1".pdf',
          mimeType: 'application/pdf',
        },
        { url: `${files.url}/gone.jpg`, size: 10, name: 'gone.jpg', mimeType: 'image/jpeg' },
      ],
    });
    expect(posted.status).toBe(200);
    const dialogId = posted.body.dialog_id as string;
    // the answer came while every file was still held back
    expect(await eventsOfType(parley, 'AttachmentStored')).toEqual([]);
    files.release();

    const settled = await eventually(
      () => messagesOf(dialogId),
      (items) => items.length === 3 && items.every((a) => a.state !== 'pending'),
    );
    const [image, document, missing] = settled as [Item, Item, Item];
    expect(image).toMatchObject({ state: 'stored', sniffed_type: 'image/png', reason: null });
    expect(document).toMatchObject({ state: 'stored', sniffed_type: 'application/pdf' });
    expect(missing).toMatchObject({
      state: 'failed',
      reason: 'the server answered 404',
      download: null,
    });
    expect((await eventsOfType(parley, 'AttachmentFetchFailed'))[0]?.data).toMatchObject({
      attachmentId: missing.id,
      reason: 'the server answered 404',
    });

    // operators: byte-identical, with the stored type and a safe file name
    for (const [item, bytes, type] of [
      [image, png, 'image/png'],
      [document, pdf, 'application/pdf'],
    ] as const) {
      const served = await parley.request(item.download as string, { headers: parley.admin });
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe(type);
      expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const pdfServed = await parley.request(`/api/attachments/${document.id}`, {
      headers: parley.admin,
    });
    expect(pdfServed.headers.get('content-disposition')).toBe(
      `attachment; filename="____ _1_.pdf"; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82%20%221%22.pdf`,
    );
    expect((await parley.request(`/api/attachments/${image.id}`)).status).toBe(401);
    const failed = await parley.request(`/api/attachments/${missing.id}`, {
      headers: parley.admin,
    });
    expect(failed.status).toBe(409);
    expect(await failed.json()).toMatchObject({ code: 'E_ATTACHMENT_NOT_STORED' });

    // integrators: the message.created payload's signed link works in time
    await receiver.waitFor((r) => r.accepted.some((x) => x.payload?.data.dialog.id === dialogId));
    const payload = receiver.accepted.find((x) => x.payload?.data.dialog.id === dialogId)?.payload;
    const linked = (payload?.data.message?.attachments ?? []) as {
      id: string;
      download_url: string;
      download_expires_at: string;
    }[];
    expect(linked.map((a) => a.id)).toEqual([image.id, document.id, missing.id]);
    const link = linked[0]?.download_url as string;
    const inTime = await fetch(link);
    expect(inTime.status).toBe(200);
    expect(Buffer.from(await inTime.arrayBuffer()).equals(png)).toBe(true);

    // tampering: another id, a later expiry, a changed signature
    const tampered = new URL(link);
    tampered.searchParams.set(
      'expires',
      String(Number(tampered.searchParams.get('expires')) + 3600),
    );
    const otherId = link.replace(image.id, document.id);
    const badSignature = link.replace(/signature=./, (s) =>
      s.endsWith('A') ? `${s.slice(0, -1)}B` : `${s.slice(0, -1)}A`,
    );
    for (const url of [tampered.toString(), otherId, badSignature]) {
      const refused = await fetch(url);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'E_ATTACHMENT_LINK_INVALID' });
    }

    // expiry: the same link, once its time has passed
    const expiresAt = new Date(linked[0]?.download_expires_at as string).getTime();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 50)));
    const late = await fetch(link);
    expect(late.status).toBe(403);
    expect(await late.json()).toMatchObject({ code: 'E_ATTACHMENT_LINK_EXPIRED' });
  }, 60_000);

  it('forgets the files of an erased contact: the data key is gone, so is the file', async () => {
    const { parley } = world;
    const channel = await createChannel(parley, 'Erasure');
    const posted = await postMessage(parley, channel, {
      ...customer('attachments-erased'),
      attachments: [
        { url: `${files.url}/photo.png`, size: png.length, name: 'p.png', mimeType: 'image/png' },
      ],
    });
    const dialogId = posted.body.dialog_id as string;
    // fetched by the worker and projected: seconds when the machine is loaded
    const [item] = await eventually(
      () => messagesOf(dialogId),
      (items) => items[0]?.state === 'stored',
      45_000,
    );
    await parley.deps.subjectKeys.destroy([posted.body.contact_id as string]);
    const gone = await parley.request(`/api/attachments/${item?.id}`, { headers: parley.admin });
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ code: 'E_ATTACHMENT_ERASED' });
  }, 60_000);
});
