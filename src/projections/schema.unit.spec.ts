import { isReadModelMissing } from './schema';

/** PostgreSQL's error as pg hands it over: a code and the server's message. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isReadModelMissing', () => {
  it.each([
    ['the schema', pgError('3F000', 'schema "read_model" does not exist')],
    ['a table', pgError('42P01', 'relation "read_model.contacts" does not exist')],
  ])('is true for %s of the read models not there yet', (_what, error) => {
    expect(isReadModelMissing(error)).toBe(true);
  });

  it.each([
    ['a table outside read_model', pgError('42P01', 'relation "webhooks.outbox" does not exist')],
    ['an unqualified table', pgError('42P01', 'relation "contacts" does not exist')],
    ['another schema', pgError('3F000', 'schema "audit" does not exist')],
    ['a shadow schema', pgError('3F000', 'schema "read_model_rebuild_contacts" does not exist')],
    ['another error naming read_model', pgError('42703', 'column "read_model.x" does not exist')],
    ['not an error', 'relation "read_model.contacts" does not exist'],
    ['nothing', null],
  ])('is false for %s', (_what, error) => {
    expect(isReadModelMissing(error)).toBe(false);
  });
});
