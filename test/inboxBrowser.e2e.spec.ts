import { describeWhen } from './support/skips';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { streams } from '../src/application/streams';
import { eventually } from './support/eventually';
import { FileServer, pdfBytes } from './support/fileServer';
import { createChannel, postMessage, type TestChannel } from './support/inbound';
import { useTestParley } from './support/parley';
import { createOperator } from './support/webhooks';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
/** where the screenshots go: INBOX_SCREENSHOTS=docs/screenshots refreshes the README's */
const SHOTS = process.env.INBOX_SCREENSHOTS ?? path.join(tmpdir(), 'parley-inbox-screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** the bound for a new message to reach every open inbox */
const LIVE_MS = 2_000;

const PICTURE = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120">
  <rect width="160" height="120" fill="#c9d8f2"/><rect x="20" y="55" width="120" height="40" rx="8" fill="#5b7bb5"/>
  <rect x="20" y="40" width="24" height="55" rx="6" fill="#4a6aa3"/><rect x="116" y="40" width="24" height="55" rx="6" fill="#4a6aa3"/>
</svg>`;

const contact = (name: string, id: string, more: Record<string, unknown>[] = []) => ({
  contact_object: {
    name,
    contacts: [{ type: 'id', value: id, service: 'custom', origin: 'custom' }, ...more],
  },
});

/**
 * The inbox in a real, headless Chromium (Debian's package; .ci/run installs it): two operators
 * signed in at once, in separate browser contexts, working the same dialogs live.
 */
describeWhen(
  available,
  `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium)`,
  'the web inbox in a browser',
  () => {
    // the integrator's file host is on 127.0.0.1: Parley fetches and keeps its files from there
    const parley = useTestParley({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    let files: FileServer;
    let browser: Browser;
    let channel: TestChannel;
    let masha: Awaited<ReturnType<typeof createOperator>>;
    let petya: Awaited<ReturnType<typeof createOperator>>;
    const errors: string[] = [];
    const dialogs: Record<string, string> = {};

    const post = async (body: Record<string, unknown>) => {
      const posted = await postMessage(parley, channel, body);
      expect(posted.status).toBe(200);
      return posted.body as { dialog_id: string; contact_id: string; message_id: string };
    };

    const signedIn = async (
      token: string,
      options: Readonly<{ locale?: string; viewport?: typeof DESKTOP }> = {},
    ): Promise<{ context: BrowserContext; page: Page }> => {
      const context = await browser.newContext({
        locale: options.locale ?? 'en-GB',
        viewport: options.viewport ?? DESKTOP,
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      // Parley's address sends a browser to the inbox
      await page.goto(parley.url);
      expect(new URL(page.url()).pathname).toBe('/inbox');
      await page.fill('#token', token);
      await page.click('#sign-in-form button[type=submit]');
      await page.locator('#live:not(.offline)').waitFor({ timeout: 15_000 });
      return { context, page };
    };

    /** page.waitForFunction evaluates strings, which the inbox's CSP forbids: poll from here */
    const until = async (check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const THUMB_WIDTH = `document.querySelector('img.thumb')?.naturalWidth`;

    const item = (page: Page, dialogId: string) =>
      page.locator(`#dialog-list button[data-dialog-id="${dialogId}"]`);

    /** axe-core in the page (evaluated, so the page's CSP stays as served): serious and critical findings */
    const axe = async (page: Page): Promise<string[]> => {
      await page.evaluate(AXE);
      const results = (await page.evaluate('axe.run()')) as {
        passes: unknown[];
        violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
      };
      // it did look: the rules that passed
      expect(results.passes.length).toBeGreaterThan(10);
      return results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    const shot = (page: Page, name: string) =>
      page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled' });

    type Kept = { id: string; name: string; state: string; reason: string | null };
    /** a message's attachments once Parley has kept (or given up on) every one */
    const settled = async (dialogId: string, messageId: string): Promise<Kept[]> =>
      eventually(
        async () => {
          const r = await parley.request(`/api/dialogs/${dialogId}/messages`, {
            headers: masha.auth,
          });
          const body = (await r.json()) as {
            items?: { message_id: string; attachments: Kept[] }[];
          };
          // the read model may not have the dialog yet
          return body.items?.find((m) => m.message_id === messageId)?.attachments ?? [];
        },
        (kept) => kept.length > 0 && kept.every((a) => a.state !== 'pending'),
        30_000,
      );

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      files = await FileServer.start({
        '/sofa.svg': { status: 200, type: 'image/svg+xml', body: Buffer.from(PICTURE) },
        '/invoice.pdf': { status: 200, type: 'application/pdf', body: pdfBytes() },
        '/table.svg': { status: 200, type: 'image/svg+xml', body: Buffer.from(PICTURE) },
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // a fresh temporary profile per launch is Playwright's own
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      channel = await createChannel(parley, 'Avito');
      masha = await createOperator(parley, 'Masha');
      petya = await createOperator(parley, 'Petya');
      const phone = { type: 'phone', value: '+7 987 654-32-10', service: 'whatsapp' };

      // Vasya: an older, closed dialog about an order, and a new one with a photo and an invoice
      const older = await post({
        reference: 'order-7',
        dialog_title: 'Order 7',
        text: 'Can I change the colour?',
        ...contact('Vasya Pupkin', 'vasya-1'),
      });
      dialogs.older = older.dialog_id;
      await fetch(`${parley.url}/api/dialogs/${older.dialog_id}/close`, {
        method: 'POST',
        headers: masha.auth,
      });
      // another contact with Vasya's phone number: the next message names both, and they merge
      const twin = await post({ text: 'hello?', ...contact('V. Pupkin', 'vasya-2') });
      dialogs.twin = twin.dialog_id;
      const sofa = await post({
        reference: 'order-42',
        dialog_title: 'Order 42',
        text: 'Where is my sofa? Photo attached.',
        html: '<p>Here is <b>the photo</b> of the <a href="https://example.test/sofa">sofa</a>.<script>alert(1)</script></p>',
        attachments: [
          {
            url: `${files.url}/sofa.svg`,
            name: 'sofa.svg',
            mimeType: 'image/svg+xml',
            size: 48_213,
          },
          {
            url: `${files.url}/invoice.pdf`,
            name: 'invoice.pdf',
            mimeType: 'application/pdf',
            size: 12_400,
          },
        ],
        contact_object: {
          name: 'Vasya Pupkin',
          contacts: [
            { type: 'id', value: 'vasya-1', service: 'custom', origin: 'custom' },
            { type: 'id', value: 'vasya-2', service: 'custom', origin: 'custom' },
            phone,
          ],
        },
      });
      dialogs.sofa = sofa.dialog_id;
      dialogs.vasya = sofa.contact_id;
      expect((await settled(sofa.dialog_id, sofa.message_id)).map((a) => a.state)).toEqual([
        'stored',
        'stored',
      ]);
      // Olga was answered: her dialog does not wait
      const olga = await post({
        text: 'Do you deliver on Sundays?',
        ...contact('Olga Ivanova', 'olga-1'),
      });
      dialogs.olga = olga.dialog_id;
      const answered = await fetch(`${parley.url}/api/dialogs/${olga.dialog_id}/messages`, {
        method: 'POST',
        headers: { ...petya.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Yes, every day from 9 to 21.' }),
      });
      expect(answered.status).toBe(201);
      dialogs.olgaReply = ((await answered.json()) as { message_id: string }).message_id;
      // the list joins names from other read models: the pages open once they are all this far
      const position = encodeURIComponent(answered.headers.get('x-parley-position') ?? '');
      for (let tries = 0; ; tries++) {
        const settled = await fetch(
          `${parley.url}/api/dialogs/${olga.dialog_id}?min_position=${position}`,
          { headers: petya.auth },
        );
        if (settled.status === 200 || tries === 5) {
          expect(settled.status).toBe(200);
          break;
        }
      }
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await files?.close();
    });

    it('shows two operators the same live inbox: new messages, replies, waiting marks', async () => {
      const a = await signedIn(masha.auth.authorization.slice('Bearer '.length));
      const b = await signedIn(petya.auth.authorization.slice('Bearer '.length), {
        locale: 'ru-RU',
      });

      // the list: customer, channel, preview with its author, time in words, status, assignee
      const sofa = item(a.page, dialogs.sofa as string);
      await sofa.waitFor({ timeout: 15_000 });
      await expect(sofa.locator('.name').textContent()).resolves.toBe('Vasya Pupkin');
      await expect(sofa.locator('.preview').textContent()).resolves.toBe(
        'Vasya Pupkin: Where is my sofa? Photo attached.',
      );
      await expect(sofa.locator('.tag.channel').textContent()).resolves.toBe('Avito');
      await expect(sofa.locator('.tag.assignee').textContent()).resolves.toBe('unassigned');
      const time = sofa.locator('time');
      await expect(time.textContent()).resolves.toMatch(/now|sec|min/);
      await expect(time.getAttribute('title')).resolves.toMatch(/\d{2}:\d{2}/);
      // waiting: the customer wrote last; Olga was answered
      await expect(sofa.locator('.tag.waiting').textContent()).resolves.toMatch(
        /^waiting (< )?\d+ mins?$/,
      );
      const olga = item(a.page, dialogs.olga as string);
      await expect(olga.locator('.tag.waiting').count()).resolves.toBe(0);
      await expect(olga.locator('.preview').textContent()).resolves.toBe(
        'Petya: Yes, every day from 9 to 21.',
      );
      // Petya's browser speaks Russian, so does his inbox; his own reply is "Вы"
      await expect(b.page.locator('html').getAttribute('lang')).resolves.toBe('ru');
      await expect(
        item(b.page, dialogs.olga as string)
          .locator('.preview')
          .textContent(),
      ).resolves.toBe('Вы: Yes, every day from 9 to 21.');
      await expect(
        item(b.page, dialogs.sofa as string)
          .locator('.tag.waiting')
          .textContent(),
      ).resolves.toMatch(/^ждёт (< )?\d+ мин/);
      await shot(a.page, 'inbox-list-desktop');

      // a message posted through the inbound endpoint reaches both lists without a reload
      const lena = await post({ text: 'Is anyone there?', ...contact('Lena Live', 'lena-1') });
      await Promise.all(
        [a.page, b.page].map((page) => item(page, lena.dialog_id).waitFor({ timeout: LIVE_MS })),
      );

      // both open it; Masha replies; Petya sees the reply in his open dialog
      await item(a.page, lena.dialog_id).click();
      await item(b.page, lena.dialog_id).click();
      await b.page.locator('.message.incoming', { hasText: 'Is anyone there?' }).waitFor();
      await a.page.fill('#reply-text', 'Yes, Masha here. How can I help?');
      await a.page.press('#reply-text', 'Control+Enter');
      await b.page
        .locator('.message.outgoing', { hasText: 'Yes, Masha here. How can I help?' })
        .waitFor({ timeout: LIVE_MS });
      await expect(b.page.locator('.message.outgoing .sender').last().textContent()).resolves.toBe(
        'Masha',
      );
      // the customer answers: both see it in the open dialog, and the list's preview follows
      await post({
        dialog_id: lena.dialog_id,
        text: 'My parcel is late.',
        ...contact('Lena Live', 'lena-1'),
      });
      for (const page of [a.page, b.page]) {
        await page.locator('.message.incoming', { hasText: 'My parcel is late.' }).waitFor({
          timeout: LIVE_MS,
        });
        await item(page, lena.dialog_id)
          .locator('.preview', { hasText: 'Lena Live: My parcel is late.' })
          .waitFor({ timeout: LIVE_MS });
      }

      // both look at the dialog's history while the other works: it follows live
      for (const page of [a.page, b.page]) {
        await page.click('#tab-history');
        await page.locator('#timeline li[data-type="DialogOpened"]').waitFor({ timeout: LIVE_MS });
      }
      // assignment and status changes by one appear in the other's inbox
      await a.page.click('#assign');
      await b.page
        .locator('#dialog-meta', { hasText: 'исполнитель: Masha' })
        .waitFor({ timeout: LIVE_MS });
      await b.page.selectOption('#assignee-select', petya.id);
      await a.page.locator('#dialog-meta', { hasText: 'assigned to Petya' }).waitFor({
        timeout: LIVE_MS,
      });
      await b.page.click('#toggle-status');
      await a.page.locator('#toggle-status', { hasText: 'Reopen' }).waitFor({ timeout: LIVE_MS });
      await a.page.click('#toggle-status');
      await b.page.locator('#toggle-status', { hasText: 'Закрыть' }).waitFor({ timeout: LIVE_MS });

      // the timeline, oldest first, names who did what, in each operator's language
      const timeline = (page: Page) =>
        page
          .locator('#timeline li')
          .evaluateAll((nodes) =>
            nodes.map((n) => [
              n.getAttribute('data-type'),
              n.querySelector('.who')?.textContent,
              n.querySelector('.what')?.textContent,
            ]),
          );
      const countOf = async (page: Page) =>
        (await timeline(page)).filter(([type]) => type === 'DialogStatusChanged').length;
      await until(async () => (await countOf(a.page)) === 2 && (await countOf(b.page)) === 2);
      const operatorLines = (lines: (string | null | undefined)[][]) =>
        lines.filter(([type]) => type === 'DialogAssigned' || type === 'DialogStatusChanged');
      expect(operatorLines(await timeline(a.page))).toEqual([
        ['DialogAssigned', 'You', 'assigned the dialog to You'],
        ['DialogAssigned', 'Petya', 'assigned the dialog to Petya'],
        ['DialogStatusChanged', 'Petya', 'closed the dialog'],
        ['DialogStatusChanged', 'You', 'reopened the dialog'],
      ]);
      expect(operatorLines(await timeline(b.page))).toEqual([
        ['DialogAssigned', 'Masha', 'назначен исполнитель: Masha'],
        ['DialogAssigned', 'Вы', 'назначен исполнитель: Вы'],
        ['DialogStatusChanged', 'Вы', 'диалог закрыт'],
        ['DialogStatusChanged', 'Masha', 'диалог открыт снова'],
      ]);
      expect((await timeline(a.page))[0]).toEqual(['DialogOpened', 'Avito', 'opened the dialog']);
      const closedAt = a.page.locator('#timeline li[data-type="DialogStatusChanged"] time').first();
      await expect(closedAt.textContent()).resolves.toMatch(/now|sec|min/);
      await expect(closedAt.getAttribute('title')).resolves.toMatch(/\d{2}:\d{2}/);
      await shot(a.page, 'inbox-history-desktop');

      const events = await parley.deps.store.readStream(streams.dialog(lena.dialog_id));
      expect(
        events
          .filter((e) => e.metadata.actor.type === 'operator')
          .map((e) => [
            e.type,
            e.metadata.actor.type === 'operator' ? e.metadata.actor.operatorId : null,
          ]),
      ).toEqual([
        ['MessageSent', masha.id],
        ['DialogAssigned', masha.id],
        ['DialogAssigned', petya.id],
        ['DialogStatusChanged', petya.id],
        ['DialogStatusChanged', masha.id],
      ]);
      expect(await axe(a.page)).toEqual([]);
      expect(await axe(b.page)).toEqual([]);
      await a.context.close();
      await b.context.close();
      expect(errors).toEqual([]);
    }, 120_000);

    it('filters, searches, moves by keyboard, shows the contact and attachments, switches language', async () => {
      const { context, page } = await signedIn(masha.auth.authorization.slice('Bearer '.length));
      const listed = async () =>
        page
          .locator('#dialog-list button[data-dialog-id]')
          .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-dialog-id')));
      const settled = async (expected: readonly string[]) => {
        const want = JSON.stringify([...expected].sort());
        await until(async () => JSON.stringify([...(await listed())].sort()) === want);
        expect([...(await listed())].sort()).toEqual([...expected].sort());
      };
      await item(page, dialogs.sofa as string).waitFor({ timeout: 15_000 });

      // status: the closed order 7 only among the closed
      await page.selectOption('#status-filter', 'closed');
      await settled([dialogs.older as string]);
      await page.selectOption('#status-filter', 'open');
      // search over contacts: by name, by a part of the phone number, by title
      await page.fill('#search', 'pupkin');
      await settled([dialogs.sofa as string, dialogs.twin as string]);
      await page.fill('#search', '654-32');
      await settled([dialogs.sofa as string, dialogs.twin as string]);
      await page.fill('#search', 'order 42');
      await settled([dialogs.sofa as string]);
      await page.fill('#search', '');
      // assignee: mine, unassigned
      await page.selectOption('#assignee-filter', 'mine');
      await settled([]);
      await expect(page.locator('#list-status').textContent()).resolves.toBe('No dialogs here.');
      await page.selectOption('#assignee-filter', 'unassigned');
      await until(async () => (await listed()).length > 2);
      expect(await listed()).toEqual(
        expect.arrayContaining([dialogs.sofa, dialogs.olga, dialogs.twin]),
      );
      await page.selectOption('#assignee-filter', '');

      // keyboard: `/` searches, down moves through dialogs, Enter opens
      await page.evaluate('document.activeElement?.blur()');
      await page.keyboard.press('/');
      expect(await page.evaluate('document.activeElement?.id')).toBe('search');
      await page.fill('#search', 'pupkin');
      await settled([dialogs.sofa as string, dialogs.twin as string]);
      const order = await listed();
      await page.press('#search', 'ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate('document.activeElement?.dataset.dialogId')).toBe(order[1]);
      await page.keyboard.press('Enter');
      await page
        .locator(`#dialog-list button[aria-current="true"][data-dialog-id="${order[1]}"]`)
        .waitFor();
      // an opened dialog puts the focus in its reply box
      await until(async () => (await page.evaluate('document.activeElement?.id')) === 'reply-text');
      await item(page, dialogs.sofa as string).focus();
      await page.keyboard.press('Enter');
      await page.locator('.message', { hasText: 'Where is my sofa?' }).waitFor();

      // the dialog: text and sanitized html, the photo as a thumbnail, the invoice as a link,
      // both Parley's kept copies
      const message = page.locator('.message.incoming', { hasText: 'Where is my sofa?' });
      await message.waitFor();
      await expect(message.locator('.text').textContent()).resolves.toBe(
        'Where is my sofa? Photo attached.',
      );
      await expect(message.locator('.html b').textContent()).resolves.toBe('the photo');
      await expect(message.locator('.html script').count()).resolves.toBe(0);
      const thumb = message.locator('img.thumb');
      await expect(thumb.getAttribute('alt')).resolves.toBe('sofa.svg');
      await until(async () => (await page.evaluate(THUMB_WIDTH)) === 160);
      const invoice = message.locator('.attachments .file');
      await expect(invoice.locator('a').getAttribute('href')).resolves.toMatch(
        /^\/api\/attachments\/[0-9a-f]{24}$/,
      );
      await expect(invoice.textContent()).resolves.toMatch(/^invoice\.pdf 12(\.1)? kB$/);
      await expect(message.locator('.sender').textContent()).resolves.toBe('Vasya Pupkin');

      // the contact panel: every item with its service, the merged twin, the other dialogs
      const panel = page.locator('#contact-panel');
      await panel.locator('#contact-name', { hasText: 'Vasya Pupkin' }).waitFor();
      await panel.locator('dd', { hasText: '+7 987 654-32-10' }).waitFor();
      const items = await panel.locator('dt').allTextContents();
      expect(items).toEqual(expect.arrayContaining(['id · custom', 'phone · whatsapp']));
      const merged = await panel.locator('#merged-ids li').allTextContents();
      expect(merged.length).toBe(1);
      expect(merged[0]).toMatch(/^[0-9a-f]{24}$/);
      await panel.locator(`#other-dialogs button[data-dialog-id="${dialogs.older}"]`).waitFor();
      await shot(page, 'inbox-dialog-desktop');
      await panel.screenshot({ path: path.join(SHOTS, 'inbox-contact-desktop.png') });
      expect(await axe(page)).toEqual([]);
      // the dialog's history shows the contact's merge, interleaved; the tabs answer the arrows
      await page.click('#tab-history');
      const merge = page.locator('#timeline li[data-type="ContactsMerged"]');
      await merge.waitFor({ timeout: 5_000 });
      await expect(merge.locator('.what').textContent()).resolves.toMatch(
        /^merged 1 contact\(s\) into the customer: [0-9a-f]{24}$/,
      );
      expect(await axe(page)).toEqual([]);
      await page.press('#tab-history', 'ArrowLeft');
      expect(await page.evaluate('document.activeElement?.id')).toBe('tab-messages');
      await page.locator('#messages-panel:not([hidden])').waitFor();
      await panel.locator(`#other-dialogs button[data-dialog-id="${dialogs.older}"]`).click();
      await page.locator('#dialog-title', { hasText: 'Vasya Pupkin' }).waitFor();
      await page.locator('.message', { hasText: 'Can I change the colour?' }).waitFor();

      // the language switch: Russian words, Russian dates
      await page.selectOption('#lang', 'ru');
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ru');
      await expect(page.locator('#sign-out').textContent()).resolves.toBe('Выйти');
      await page
        .locator('#toggle-status', { hasText: 'Открыть снова' })
        .waitFor({ timeout: 2_000 });
      await expect(page.locator('#search').getAttribute('placeholder')).resolves.toContain('Поиск');
      await expect(page.locator('.message time').first().textContent()).resolves.toMatch(
        /\d{1,2} [а-я]+\.? \d{4}/,
      );
      // it sticks: a reload keeps Russian
      await page.reload();
      await page.locator('#live:not(.offline)').waitFor({ timeout: 15_000 });
      await expect(page.locator('#sign-out').textContent()).resolves.toBe('Выйти');
      await page.selectOption('#lang', 'en');
      await context.close();
      expect(errors).toEqual([]);
    }, 120_000);

    it("shows an operator reply's delivery status live: delivered, read, then a late delivered stays read", async () => {
      const { context, page } = await signedIn(masha.auth.authorization.slice('Bearer '.length));
      await item(page, dialogs.olga as string).click();
      const status = page.locator(
        `.message.outgoing[data-message-id="${dialogs.olgaReply as string}"] .delivery`,
      );
      await status.waitFor({ timeout: 15_000 });
      await expect(status.getAttribute('data-status')).resolves.toBe('sent');
      const report = async (state: string) => {
        const response = await fetch(`${parley.url}${channel.path.replace('?', '/status?')}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message_id: dialogs.olgaReply, status: state }),
        });
        expect(response.status).toBe(200);
      };
      const shows = async (state: string, words: string) => {
        await until(async () => (await status.getAttribute('data-status')) === state);
        await expect(status.textContent()).resolves.toBe(words);
      };
      await report('delivered');
      await shows('delivered', 'delivered');
      await report('read');
      await shows('read', 'read');
      // out of order: the inbox keeps what the read model keeps
      await report('delivered');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await shows('read', 'read');
      expect(await axe(page)).toEqual([]);
      await context.close();
      expect(errors).toEqual([]);
    }, 120_000);

    it("shows Parley's copy of each file: pending, then a stored image and a failed file with its reason, live; an operator's upload", async () => {
      // the file host answers nothing yet: both files are pending when the operator looks
      files.hold();
      const posted = await post({
        reference: 'order-77',
        dialog_title: 'Order 77',
        text: 'The table and its receipt.',
        attachments: [
          {
            url: `${files.url}/table.svg`,
            name: 'table.svg',
            mimeType: 'image/svg+xml',
            size: 900,
          },
          {
            url: `${files.url}/receipt.pdf`,
            name: 'receipt.pdf',
            mimeType: 'application/pdf',
            size: 5_000,
          },
        ],
        ...contact('Anna Sokolova', 'anna-1'),
      });
      // an operator's file has no URL but Parley's own
      const notes = Buffer.from('Table 120 × 80 cm, oak.\n', 'utf8');
      const form = new FormData();
      form.append('text', 'Here are the measurements.');
      form.append('files', new Blob([new Uint8Array(notes)], { type: 'text/plain' }), 'notes.txt');
      const replied = await fetch(`${parley.url}/api/dialogs/${posted.dialog_id}/messages`, {
        method: 'POST',
        headers: masha.auth,
        body: form,
      });
      expect(replied.status).toBe(201);
      const upload = (await replied.json()) as { message_id: string };
      expect((await settled(posted.dialog_id, upload.message_id)).map((a) => a.state)).toEqual([
        'stored',
      ]);

      const { context, page } = await signedIn(masha.auth.authorization.slice('Bearer '.length));
      await item(page, posted.dialog_id).click();
      const incoming = page.locator('.message.incoming', { hasText: 'The table and its receipt.' });
      await incoming.waitFor({ timeout: 15_000 });
      const pending = incoming.locator('li[data-state="pending"] .kept');
      await expect(pending.allTextContents()).resolves.toEqual([' being kept…', ' being kept…']);
      expect(await incoming.locator('.attachments a').count()).toBe(0);
      files.release();
      const [, receipt] = await settled(posted.dialog_id, posted.message_id);
      expect(receipt).toMatchObject({ state: 'failed', reason: expect.any(String) });
      // the image from the kept copy, through the token: a blob: URL, not the integrator's host
      const thumb = incoming.locator('li.image[data-state="stored"] img.thumb');
      await until(
        async () =>
          (await thumb.evaluate(
            (img) => (img as unknown as { naturalWidth: number }).naturalWidth === 160,
          )) === true,
      );
      await expect(thumb.getAttribute('src')).resolves.toMatch(/^blob:/);
      expect(files.requests.filter((r) => r === '/table.svg')).toHaveLength(1);
      // the failed file: its name and why, and nothing to open
      const failed = incoming.locator('li.file[data-state="failed"]');
      await failed.waitFor();
      await expect(failed.locator('.name').textContent()).resolves.toBe('receipt.pdf');
      await expect(failed.locator('.kept').textContent()).resolves.toBe(
        ` could not be kept: ${receipt?.reason as string}`,
      );
      expect(await failed.locator('a').count()).toBe(0);
      // the upload opens: saved under its name, byte for byte
      const uploaded = page.locator(
        `.message.outgoing[data-message-id="${upload.message_id}"] li.file[data-state="stored"] a`,
      );
      await expect(uploaded.textContent()).resolves.toBe('notes.txt');
      const [download] = await Promise.all([page.waitForEvent('download'), uploaded.click()]);
      expect(download.suggestedFilename()).toBe('notes.txt');
      expect(readFileSync(await download.path())).toEqual(notes);
      expect(await axe(page)).toEqual([]);
      await context.close();
      expect(errors).toEqual([]);
    }, 120_000);

    it('fits a phone: one pane at a time, and stays accessible', async () => {
      const { context, page } = await signedIn(petya.auth.authorization.slice('Bearer '.length), {
        viewport: PHONE,
      });
      await item(page, dialogs.sofa as string).waitFor({ timeout: 15_000 });
      expect(await axe(page)).toEqual([]);
      await shot(page, 'inbox-list-phone');
      await item(page, dialogs.sofa as string).click();
      await page.locator('.message', { hasText: 'Where is my sofa?' }).waitFor();
      expect(await page.locator('.dialogs').isVisible()).toBe(false);
      await until(async () => (await page.evaluate(THUMB_WIDTH)) === 160);
      expect(await axe(page)).toEqual([]);
      await shot(page, 'inbox-dialog-phone');
      await page.click('#show-contact');
      await page.locator('#contact-panel dd', { hasText: '+7 987 654-32-10' }).waitFor();
      expect(await page.locator('.conversation').isVisible()).toBe(false);
      expect(await axe(page)).toEqual([]);
      await shot(page, 'inbox-contact-phone');
      // nothing is wider than the screen
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
        PHONE.width,
      );
      await page.click('#hide-contact');
      await page.click('#back');
      await item(page, dialogs.sofa as string).waitFor();
      await context.close();
      expect(errors).toEqual([]);
    }, 120_000);
  },
);
