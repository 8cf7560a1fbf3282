import { isLeft, isRight } from 'fp-ts/Either';
import { MemoryEventStore } from '../../infrastructure/eventstore/memory/memoryEventStore';
import { commandHandler } from '../commandHandler';
import type { CommandContext } from '../context';
import { streams } from '../streams';
import { editChannel, editCommands } from './editChannel';
import { changeChannel, createChannel } from './manageChannels';

const context: CommandContext = {
  correlationId: 'c',
  causationId: null,
  actor: { type: 'admin' },
  now: new Date('2026-01-01T00:00:00Z'),
};

const world = () => {
  let n = 0;
  const store = new MemoryEventStore();
  const ids = {
    objectId: () => (++n).toString(16).padStart(24, '0'),
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  };
  const deps = { store, ids, commands: commandHandler({ store, ids }) };
  /** given: a channel named Support, enabled */
  const given = async () => {
    const created = await createChannel(deps, 'Support', context);
    if (isLeft(created)) throw new Error(created.left.message);
    return created.right.channel.channelId;
  };
  const eventsOf = async (channelId: string) =>
    (await deps.store.readStream(streams.channel(channelId))).map((e) => e.type);
  return { deps, given, eventsOf };
};

describe('editChannel', () => {
  it('renames and disables in one edit, rename first', async () => {
    const { deps, given, eventsOf } = world();
    const id = await given();
    const before = await eventsOf(id);

    const edited = await editChannel(deps, id, { name: '  Sales ', enabled: false }, context);

    expect(isRight(edited) && edited.right.channel).toMatchObject({
      name: 'Sales',
      enabled: false,
    });
    expect(isRight(edited) && edited.right.checkpoint).not.toBeNull();
    expect((await eventsOf(id)).slice(before.length)).toEqual([
      'ChannelRenamed',
      'ChannelDisabled',
    ]);
  });

  it('refuses an edit that names nothing to change, and appends nothing', async () => {
    const { deps, given, eventsOf } = world();
    const id = await given();
    const before = await eventsOf(id);

    const edited = await editChannel(deps, id, {}, context);

    expect(isLeft(edited) && edited.left.code).toBe('E_VALIDATION');
    expect(await eventsOf(id)).toEqual(before);
  });

  it('refuses an unknown channel', async () => {
    const { deps } = world();
    const edited = await editChannel(deps, 'f'.repeat(24), { enabled: true }, context);
    expect(isLeft(edited) && edited.left.code).toBe('E_CHANNEL_NOT_FOUND');
  });

  it('refuses a deleted channel, and appends nothing', async () => {
    const { deps, given, eventsOf } = world();
    const id = await given();
    await changeChannel(
      deps,
      id,
      { type: 'DeleteChannel', data: { now: context.now.toISOString() } },
      context,
    );
    const before = await eventsOf(id);

    const edited = await editChannel(deps, id, { name: 'Sales' }, context);

    expect(isLeft(edited) && edited.left.code).toBe('E_CHANNEL_DELETED');
    expect(await eventsOf(id)).toEqual(before);
  });

  it('makes the commands in order: rename, then enable or disable', () => {
    expect(editCommands({ enabled: true, name: 'x' }).map((c) => c.type)).toEqual([
      'RenameChannel',
      'EnableChannel',
    ]);
    expect(editCommands({ enabled: false }).map((c) => c.type)).toEqual(['DisableChannel']);
    expect(editCommands({})).toEqual([]);
  });
});
