import { streamTickets } from './streamTicket';

const OPERATOR = { type: 'operator', operatorId: 'b0000000000000000000000a' } as const;
const NOW = Date.parse('2026-12-01T10:00:00Z');

describe('tickets to the inbox event stream', () => {
  const tickets = streamTickets('a'.repeat(64), 120_000);

  it('names the actor it was issued to until it expires', () => {
    const { ticket, expiresAtMs } = tickets.issue(OPERATOR, NOW);
    expect(expiresAtMs).toBe(NOW + 120_000);
    expect(tickets.verify(ticket, NOW + 119_999)).toEqual({ actor: OPERATOR, expiresAtMs });
    expect(tickets.verify(ticket, NOW + 120_000)).toBeNull();
  });

  it('refuses a ticket of another deployment, a changed one and garbage', () => {
    const { ticket } = tickets.issue(OPERATOR, NOW);
    const elsewhere = streamTickets('b'.repeat(64), 120_000);
    expect(elsewhere.verify(ticket, NOW)).toBeNull();
    const [payload, signature] = ticket.split('.') as [string, string];
    // the same signature over an admin's payload
    const forged = Buffer.from(JSON.stringify({ a: { type: 'admin' }, e: NOW + 1e9 })).toString(
      'base64url',
    );
    expect(tickets.verify(`${forged}.${signature}`, NOW)).toBeNull();
    expect(tickets.verify(`${payload}.${signature.slice(0, -2)}AA`, NOW)).toBeNull();
    for (const junk of ['', '.', 'abc', `${payload}`, `${payload}.${signature}.x`])
      expect(tickets.verify(junk, NOW)).toBeNull();
  });

  it('refuses a signed ticket whose actor is not staff', () => {
    const { ticket } = tickets.issue({ type: 'admin' }, NOW);
    expect(tickets.verify(ticket, NOW)?.actor).toEqual({ type: 'admin' });
    const signedJunk = streamTickets('a'.repeat(64), 1000).issue(
      { type: 'operator', operatorId: 'not an id' },
      NOW,
    ).ticket;
    expect(tickets.verify(signedJunk, NOW)).toBeNull();
  });
});
