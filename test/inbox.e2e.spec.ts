import { eventually } from './support/eventually';
import { createChannel } from './support/inbound';
import { useTestParley } from './support/parley';
import { createOperator } from './support/webhooks';

describe('the web inbox', () => {
  const parley = useTestParley();

  it('serves its page, script and styles under a strict Content-Security-Policy', async () => {
    for (const [path, type] of [
      ['/inbox', 'text/html'],
      ['/inbox/app.js', 'text/javascript'],
      ['/inbox/app.css', 'text/css'],
    ] as const) {
      const response = await parley.request(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('content-type')).toContain(type);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('sends a browser that opens Parley’s address to the inbox', async () => {
    const response = await parley.request('/', {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/inbox');
  });

  it('has no inline script or style the policy would block', async () => {
    const html = await (await parley.request('/inbox')).text();
    expect(html).toMatch(/<script src="\/inbox\/app.js" defer><\/script>/);
    expect(html).not.toMatch(/<script>|<style>|\son[a-z]+=|style="/i);
  });

  it('the script never puts untrusted text into innerHTML', async () => {
    const script = await (await parley.request('/inbox/app.js')).text();
    // the one innerHTML takes the read model's sanitized html; everything else is textContent
    expect(script.match(/innerHTML/g)).toHaveLength(1);
    expect(script).toContain('html.innerHTML = message.html');
  });

  it('tells a bearer who they are', async () => {
    const me = await parley.request('/api/me', { headers: parley.admin });
    expect(await me.json()).toEqual({ actor: { type: 'admin' } });
    const nobody = await parley.request('/api/me', { headers: { authorization: 'Bearer nope' } });
    expect(nobody.status).toBe(401);
  });

  it('names operators and active channels to staff, and nothing more', async () => {
    const channel = await createChannel(parley, 'Telegram');
    const operator = await createOperator(parley, 'Dasha');
    type Directory = {
      operators: Record<string, unknown>[];
      channels: Record<string, unknown>[];
    };
    // the read models catch up with the two writes
    const body = await eventually(
      async () => {
        const response = await parley.request('/api/inbox/directory', { headers: operator.auth });
        return { httpStatus: response.status, ...((await response.json()) as Directory) };
      },
      (d) =>
        d.httpStatus !== 200 ||
        (d.operators.some((o) => o.name === 'Dasha') &&
          d.channels.some((c) => c.name === 'Telegram')),
    );
    expect(body.httpStatus).toBe(200);
    expect(body.operators).toContainEqual({ operator_id: operator.id, name: 'Dasha' });
    expect(body.channels).toContainEqual({ channel_id: channel.channelId, name: 'Telegram' });
    // names only: no tokens, prefixes or settings
    for (const entry of [...body.operators, ...body.channels])
      expect(Object.keys(entry).filter((k) => k !== 'name')).toEqual([
        'operator_id' in entry ? 'operator_id' : 'channel_id',
      ]);
    expect((await parley.request('/api/inbox/directory')).status).toBe(401);
  });
});
