import type { LookupAddress } from 'node:dns';
import { eventually } from '../support/eventually';
import { createChannel, customer, eventsOfType, postMessage } from '../support/inbound';
import { FileServer, pngBytes } from '../support/fileServer';
import { offlineResolve } from '../support/parley';
import { useWebhookWorld } from '../support/webhooks';

/**
 * The attachment fetch worker resolves host names through the process's resolver
 * (`StartOptions.resolve`): tests stay on the machine with it, and a name it maps to this
 * machine's file server is fetched there. Without it the worker asked DNS, which no test may.
 */
describe('the host names of attachment URLs', () => {
  const asked: string[] = [];
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    return hostname === 'files.parley.test'
      ? [{ address: '127.0.0.1', family: 4 }]
      : [...(await offlineResolve(hostname))];
  };
  const world = useWebhookWorld({}, { resolve });
  const png = pngBytes();
  let files: FileServer;

  beforeAll(async () => {
    files = await FileServer.start({ '/photo.png': { status: 200, type: 'image/png', body: png } });
  });
  afterAll(() => files.close());

  it('given a name the process resolves to its file server, when a message links a file there, then the file is fetched and kept', async () => {
    const { parley } = world;
    const channel = await createChannel(parley);
    const url = `${files.url.replace('127.0.0.1', 'files.parley.test')}/photo.png`;
    const posted = await postMessage(parley, channel, {
      ...customer('resolved-names-1'),
      text: 'a photo by name',
      attachments: [{ url, size: png.length, name: 'photo.png', mimeType: 'image/png' }],
    });
    expect(posted.status).toBe(200);
    const stored = await eventually(
      () => eventsOfType(parley, 'AttachmentStored'),
      (events) => events.length === 1,
    );
    expect(stored[0]?.data).toMatchObject({ sniffedType: 'image/png' });
    expect(asked).toContain('files.parley.test');
  });
});
