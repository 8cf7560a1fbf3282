import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../../../test/support/database';
import { embeddedConnectionString, socketDirectoryFor } from './embedded';

const credentials = { user: 'parley', password: 'p@ss/word' };

/** what node-postgres makes of a connection string (nothing is connected) */
const parse = (connectionString: string) => {
  const client = new Client({ connectionString });
  return {
    host: client.host,
    port: client.port,
    database: client.database,
    user: client.user,
    password: client.password,
  };
};

describe('the embedded server’s connections', () => {
  it('go through the socket in the cluster directory when its path fits', () => {
    const url = embeddedConnectionString(credentials, 54_321, 'parley', '/data/dir/postgres');
    expect(parse(url)).toMatchObject({
      host: '/data/dir/postgres',
      port: 54_321,
      database: 'parley',
      user: 'parley',
      password: 'p@ss/word',
    });
  });

  it('go through 127.0.0.1 when the socket’s path would be too long for the kernel', () => {
    const long = path.join('/', 'd'.repeat(100));
    expect(socketDirectoryFor(long, 54_321)).toBeNull();
    expect(socketDirectoryFor('/data/dir/postgres', 54_321)).toBe('/data/dir/postgres');
    expect(parse(embeddedConnectionString(credentials, 54_321, 'parley', null))).toMatchObject({
      host: '127.0.0.1',
      port: 54_321,
    });
  });

  it('of the tests’ own embedded server come through its socket, not TCP', async () => {
    const db = await createTestDatabase({ migrate: false });
    try {
      const { rows } = await db.pool.query<{ address: string | null }>(
        'SELECT inet_client_addr()::text AS address',
      );
      expect(rows[0]?.address).toBeNull();
    } finally {
      await db.drop();
    }
  });
});
