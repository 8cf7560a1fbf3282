import { appendShape } from '../bench/sections/statements';
import { APPEND_SQL } from '../src/infrastructure/eventstore/postgres/postgresEventStore';

describe("the bench's names for the store's appends", () => {
  it('names each append by its expected revision, with or without unchanged streams', () => {
    for (const appends of [APPEND_SQL.plain, APPEND_SQL.ifUnchanged])
      for (const [expected, text] of Object.entries(appends))
        expect({ expected, shape: appendShape(text) }).toEqual({ expected, shape: expected });
  });

  it('names no other statement an append', () => {
    expect(appendShape('SELECT revision FROM event_store.streams WHERE stream_id = $1')).toBeNull();
    expect(appendShape('INSERT INTO read_model.dialogs (dialog_id) VALUES ($1)')).toBeNull();
  });
});
