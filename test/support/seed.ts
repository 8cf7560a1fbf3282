import { isLeft } from 'fp-ts/Either';
import type { CommandDeps } from '../../src/application/commandHandler';
import type { CommandContext } from '../../src/application/context';
import type { Actor } from '../../src/application/ports/eventStore';
import { streams } from '../../src/application/streams';
import { channelDecider } from '../../src/domain/channel/decide';
import { contactDecider } from '../../src/domain/contact/decide';
import { dialogDecider } from '../../src/domain/dialog/decide';
import type { Command, Decider, Event } from '../../src/domain/shared/decider';

const contextAs = (actor: Actor): CommandContext => ({
  correlationId: 'seed',
  causationId: null,
  actor,
  now: new Date(),
});

const must = async <C extends Command, E extends Event, S>(
  deps: CommandDeps,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  actor: Actor,
) => {
  const result = await deps.commands.handle(streamId, decider, command, contextAs(actor));
  if (isLeft(result)) throw new Error(`seeding failed: ${result.left.code} ${result.left.message}`);
  return result.right;
};

export type SeededDialog = Readonly<{ channelId: string; dialogId: string; contactId: string }>;

/**
 * A channel, a contact and a dialog opened by a customer's message, appended through the
 * deciders as the inbound endpoint would: for tests of what operators and webhooks do next.
 */
export const seedDialog = async (
  deps: CommandDeps,
  options: Readonly<{
    channelId?: string;
    reference?: string | null;
    integrationData?: string | null;
    contactName?: string;
  }> = {},
): Promise<SeededDialog> => {
  const now = new Date().toISOString();
  const channelId = options.channelId ?? deps.ids.objectId();
  const integration: Actor = { type: 'integration', channelId };
  if (options.channelId === undefined) {
    await must(
      deps,
      streams.channel(channelId),
      channelDecider,
      { type: 'CreateChannel', data: { channelId, name: 'Avito', now } },
      { type: 'admin' },
    );
  }
  const contactId = deps.ids.objectId();
  const value = `customer-${contactId}`;
  await must(
    deps,
    streams.contact(contactId),
    contactDecider,
    {
      type: 'CreateContact',
      data: {
        contactId,
        channelId,
        name: options.contactName ?? 'Vasya Pupkin',
        description: null,
        data: [
          {
            id: deps.ids.objectId(),
            type: 'id',
            value,
            service: 'custom',
            origin: 'custom',
            key: `custom:${channelId}:id:${value}`,
          },
        ],
        now,
      },
    },
    integration,
  );
  const dialogId = deps.ids.objectId();
  await must(
    deps,
    streams.dialog(dialogId),
    dialogDecider,
    {
      type: 'ReceiveMessage',
      data: {
        dialogId,
        channelId,
        mustExist: false,
        reference: options.reference === undefined ? `ref-${dialogId}` : options.reference,
        title: null,
        contactId,
        messageId: deps.ids.objectId(),
        text: 'hello',
        html: null,
        attachments: [],
        integrationData: options.integrationData ?? null,
        createdAt: now,
        now,
        requestHash: null,
      },
    },
    integration,
  );
  return { channelId, dialogId, contactId };
};
