import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { streams } from '../src/application/streams';
import { createChannel, customer, postMessage } from './support/inbound';
import { useTestParley } from './support/parley';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);

/**
 * The inbox in a real, headless Chromium (Debian's package; .ci/run installs it): an operator
 * signs in, reads the customer's message, replies, assigns the dialog to herself and closes it.
 */
(available ? describe : describe.skip)('the web inbox in a browser', () => {
  const parley = useTestParley();
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage();
  }, 60_000);
  afterAll(async () => browser?.close());

  it('lets an operator read, reply, assign and close', async () => {
    const channel = await createChannel(parley);
    const posted = await postMessage(parley, channel, {
      reference: 'order-42',
      dialog_title: 'Order 42',
      text: 'Where is my sofa?',
      ...customer('buyer-1'),
    });
    const created = await parley.request('/api/operators', {
      method: 'POST',
      headers: { ...parley.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Masha' }),
    });
    const operator = (await created.json()) as { id: string; token: { token: string } };
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));

    await page.goto(`${parley.url}/inbox`);
    await page.fill('#token', operator.token.token);
    await page.click('#sign-in-form button[type=submit]');
    await page.getByText('Order 42').first().click({ timeout: 15_000 });
    await page.getByText('Where is my sofa?').waitFor({ timeout: 15_000 });

    await page.fill('#reply-text', 'It leaves the warehouse today.');
    await page.click('#reply-form button[type=submit]');
    await page
      .locator('.message.outgoing', { hasText: 'It leaves the warehouse today.' })
      .waitFor({ timeout: 15_000 });

    await page.click('#assign');
    await page.getByText('assigned to you').waitFor({ timeout: 15_000 });
    await page.click('#toggle-status');
    await page.locator('#toggle-status', { hasText: 'Reopen' }).waitFor({ timeout: 15_000 });

    const events = await parley.deps.store.readStream(
      streams.dialog(posted.body.dialog_id as string),
    );
    const byOperator = events.filter((e) => e.metadata.actor.type === 'operator');
    expect(byOperator.map((e) => e.type)).toEqual([
      'MessageSent',
      'DialogAssigned',
      'DialogStatusChanged',
    ]);
    expect(
      byOperator.every(
        (e) => e.metadata.actor.type === 'operator' && e.metadata.actor.operatorId === operator.id,
      ),
    ).toBe(true);
    expect(errors).toEqual([]);
  }, 90_000);
});

if (!available) {
  describe('the web inbox in a browser', () => {
    it('runs where Chromium is installed', () => {
      // eslint-disable-next-line no-console
      console.info(
        `browser test of the inbox skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium)`,
      );
      expect(existsSync(CHROMIUM)).toBe(false);
    });
  });
}
