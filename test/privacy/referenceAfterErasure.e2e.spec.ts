import { createChannel, customer, postMessage, type TestChannel } from '../support/inbound';
import { useTestParley } from '../support/parley';

// SPEC §8: a reference is the erased person's data, like their contact data. A new message
// with it is a new conversation of a new contact, never a message into the erased dialog.
describe('a reference after its dialog’s contact was erased', () => {
  const parley = useTestParley();
  let channel: TestChannel;
  let erasedDialog: string;
  let erasedContact: string;
  const messagesOf = async (dialogId: string): Promise<number> =>
    (await parley.deps.store.readStream(`dialog-${dialogId}`)).filter(
      (e) => e.type === 'MessageReceived',
    ).length;

  /** a message of the customer with this custom id, in the dialog with this reference */
  const say = (who: string, reference: string, body: Record<string, unknown>) =>
    postMessage(parley, channel, { ...customer(who), reference, ...body });
  const erase = async (contactId: string): Promise<void> => {
    const erased = await parley.request(`/api/contacts/${contactId}/erase`, {
      method: 'POST',
      headers: parley.admin,
    });
    expect(erased.status).toBe(200);
  };

  beforeAll(async () => {
    channel = await createChannel(parley);
    const first = await say('avito-user-7', 'avito-chat-7', {
      dialog_title: 'Sofa, blue',
      text: 'is it still for sale?',
    });
    expect(first.status).toBe(200);
    erasedDialog = first.body.dialog_id as string;
    erasedContact = first.body.contact_id as string;
    await erase(erasedContact);
  });

  it('given an erased contact’s dialog, when a message with its reference and a new title comes, then it opens a new dialog of a new contact', async () => {
    const again = await say('avito-user-7', 'avito-chat-7', {
      dialog_title: 'Sofa, red',
      text: 'hello again',
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      reference: 'avito-chat-7',
      dialog_created: true,
      contact_created: true,
    });
    expect(again.body.dialog_id).not.toBe(erasedDialog);
    expect(again.body.contact_id).not.toBe(erasedContact);
    // the erased dialog keeps its count: nothing was written into it
    expect(await messagesOf(erasedDialog)).toBe(1);

    const next = await say('avito-user-7', 'avito-chat-7', {
      text: 'and another',
    });
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ dialog_id: again.body.dialog_id, dialog_created: false });
  });

  it('given many messages with the erased reference at once, then they all land in one new dialog', async () => {
    await say('avito-user-8', 'avito-chat-8', {
      text: 'first',
    }).then((first) => erase(first.body.contact_id as string));
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        say('avito-user-8', 'avito-chat-8', {
          text: `again ${i}`,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(new Set(answers.map((a) => a.body.dialog_id)).size).toBe(1);
    expect(answers.filter((a) => a.body.dialog_created === true)).toHaveLength(1);
  });
});
