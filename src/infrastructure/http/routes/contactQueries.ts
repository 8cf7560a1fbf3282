import Router from '@koa/router';
import * as t from 'io-ts';
import { isObjectId } from '../../../domain/shared/ids';
import { getContact, type ContactView } from '../../../projections/contacts/contactQueries';
import { searchContacts } from '../../../projections/contacts/contactSearch';
import { iso } from '../codecs';
import { contactAnswer, contactHitPage } from '../codecs/contactAnswers';
import { serve, type RouteContract } from '../contract';
import { HttpError } from '../httpError';
import { cursorParam, decodeQuery, textParam } from '../queryParams';
import {
  DEFAULT_LIMIT,
  pageLimit,
  readContract,
  readParams,
  type QueryRouteDeps,
} from './queryRouteDeps';

const offset = new t.Type<number, number, unknown>(
  'an offset',
  (u): u is number => typeof u === 'number',
  (u, c) =>
    typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 1_000_000
      ? t.success(u)
      : t.failure(u, c),
  (n) => n,
);

/** Search pages are ranked, so a cursor is an offset into the ranking. */
const searchCursor = cursorParam(t.type({ o: offset }));

const searchParams = t.partial({
  q: textParam(200),
  limit: pageLimit,
  cursor: searchCursor,
  min_position: t.string,
});

const tags = ['contacts'];

export const searchContactsContract: RouteContract = readContract({
  tags,
  path: '/api/contacts/search',
  summary:
    'Fuzzy search over names, descriptions and contact values (phone digits too), best first',
  query: { codec: searchParams, notes: { q: 'what to look for' }, required: ['q'] },
  response: { status: 200, description: 'a page of live contacts', codec: contactHitPage },
});

export const getContactContract: RouteContract = readContract({
  tags,
  path: '/api/contacts/{id}',
  summary: 'A contact; a merged id answers its survivor (Content-Location names it)',
  params: { id: 'contact id' },
  response: {
    status: 200,
    description: 'the contact, or the survivor of a merged one',
    codec: contactAnswer,
  },
  errors: ['E_CONTACT_NOT_FOUND', 'E_CONTACT_DELETED', 'E_CONTACT_ERASED'],
  errorNotes: { 404: 'no such contact, or deleted', 410: "the contact's data was erased" },
});

export const contactQueryContracts = [searchContactsContract, getContactContract];

export const contactJson = (c: ContactView): t.TypeOf<typeof contactAnswer> => ({
  contact_id: c.contactId,
  channel_id: c.channelId,
  name: c.name,
  description: c.description,
  status: c.status,
  contacts: c.data.map((d) => ({
    id: d.id,
    value: d.value,
    type: d.type,
    service: d.service,
    origin: d.origin,
  })),
  merged_ids: c.mergedIds,
  created_at: iso(c.createdAt),
  updated_at: iso(c.updatedAt),
});

/** A deleted contact answers 404 (the seed's code); an erased one 410: it is gone for good. */
export const refuseGone = (contact: Pick<ContactView, 'status'>): void => {
  if (contact.status === 'deleted') throw new HttpError('E_CONTACT_DELETED', 'contact was deleted');
  if (contact.status === 'erased')
    throw new HttpError('E_CONTACT_ERASED', "the contact's data was erased on request");
};

/** GET /api/contacts/search and /api/contacts/{id} from the contacts read model. */
export const contactQueryRoutes = ({ pool, auth, readYourWrites }: QueryRouteDeps): Router => {
  const router = new Router();
  router.use(auth, readYourWrites(['contacts']));

  serve(router, searchContactsContract, async (ctx) => {
    const q = decodeQuery(searchParams, ctx.query);
    if (q.q === undefined) {
      throw new HttpError('E_VALIDATION', 'the query parameters are not valid', [
        { path: 'q', message: 'required: the text to search for' },
      ]);
    }
    const limit = q.limit ?? DEFAULT_LIMIT;
    const offset = q.cursor?.o ?? 0;
    const page = await searchContacts(pool, q.q, { limit, offset });
    ctx.body = {
      items: page.items.map((hit) => ({ ...contactJson(hit), score: hit.score })),
      next_cursor: page.more ? searchCursor.encode({ o: offset + page.items.length }) : null,
    };
  });

  // A merged contact's id answers its survivor (200, Content-Location names the survivor), so
  // links held by integrators keep working after a merge.
  serve(router, getContactContract, async (ctx) => {
    decodeQuery(readParams, ctx.query);
    const id = ctx.params.id ?? '';
    const contact = isObjectId(id) ? await getContact(pool, id) : null;
    if (contact === null) throw new HttpError('E_CONTACT_NOT_FOUND', 'contact not found');
    refuseGone(contact);
    if (contact.contactId !== id) ctx.set('Content-Location', `/api/contacts/${contact.contactId}`);
    ctx.body = contactJson(contact);
  });

  return router;
};
