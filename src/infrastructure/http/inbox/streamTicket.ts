import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../../../application/ports/eventStore';

/** Staff who may hold a ticket: the actors staffAuth admits. */
export type StaffActor = Extract<Actor, { type: 'admin' } | { type: 'operator' }>;

/**
 * A short-lived ticket to the inbox's event stream. EventSource cannot send an Authorization
 * header, so the inbox trades its bearer token for one of these (POST /api/inbox/stream-ticket)
 * and the browser carries it in an HttpOnly, SameSite=Strict cookie scoped to the stream's
 * path: it never appears in a URL (or a proxy's access log) and page scripts cannot read it.
 *
 * `<base64url JSON {a: actor, e: expiry ms}>.<base64url HMAC-SHA256>`. The key derives from the
 * admin token's hash, so every process of one deployment accepts the others' tickets and
 * rotating the admin token voids them all.
 */
export type StreamTickets = Readonly<{
  issue(actor: StaffActor, nowMs: number): Readonly<{ ticket: string; expiresAtMs: number }>;
  /** the actor and expiry of a valid, unexpired ticket; null for anything else */
  verify(
    ticket: string,
    nowMs: number,
  ): Readonly<{ actor: StaffActor; expiresAtMs: number }> | null;
}>;

const OPERATOR_ID = /^[0-9a-f]{24}$/;

const actorOf = (value: unknown): StaffActor | null => {
  if (typeof value !== 'object' || value === null) return null;
  const { type, operatorId } = value as { type?: unknown; operatorId?: unknown };
  if (type === 'admin') return { type: 'admin' };
  if (type === 'operator' && typeof operatorId === 'string' && OPERATOR_ID.test(operatorId))
    return { type: 'operator', operatorId };
  return null;
};

export const streamTickets = (adminTokenHash: string, ttlMs: number): StreamTickets => {
  const key = createHash('sha256')
    .update(`parley inbox stream ticket\u0000${adminTokenHash}`)
    .digest();
  const sign = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();
  return {
    issue: (actor, nowMs) => {
      const expiresAtMs = nowMs + ttlMs;
      const payload = Buffer.from(JSON.stringify({ a: actor, e: expiresAtMs })).toString(
        'base64url',
      );
      return { ticket: `${payload}.${sign(payload).toString('base64url')}`, expiresAtMs };
    },
    verify: (ticket, nowMs) => {
      const match = /^([A-Za-z0-9_-]{1,512})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
      if (match === null) return null;
      const [, payload = '', signature = ''] = match;
      const given = Buffer.from(signature, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      let body: { a?: unknown; e?: unknown };
      try {
        body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof body;
      } catch {
        return null;
      }
      const actor = actorOf(body.a);
      const expiresAtMs = body.e;
      if (actor === null || typeof expiresAtMs !== 'number' || expiresAtMs <= nowMs) return null;
      return { actor, expiresAtMs };
    },
  };
};
