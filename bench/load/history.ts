import { customData, customerName, messageFields, random } from './mix';

/** What the history import section sends: its NDJSON and what that holds. */
export type History = Readonly<{
  ndjson: string;
  messages: number;
  dialogs: number;
  customers: number;
  incoming: number;
  outgoing: number;
}>;

const START = Date.parse('2024-01-08T08:00:00Z');
const DAY = 86_400_000;

/**
 * A help desk's past as an integrator exports it (the shape of
 * test/integrations/historyImport.e2e.spec.ts, made less regular): dialogs of 2 to 38
 * messages, 20 on average; a customer's opening message, then replies and answers, the customer
 * sometimes writing twice in a row; a third of the customers come back in a second or third
 * dialog, and some give a phone number as well, matched across dialogs. Original timestamps
 * spread over a year. Deterministic, so runs compare.
 */
export const buildHistory = (messages: number, seed = 17): History => {
  const rnd = random(seed);
  const lines: string[] = [];
  const perCustomer = new Map<number, number>();
  let dialogs = 0;
  let incoming = 0;
  let customer = 0;
  while (lines.length < messages) {
    const d = dialogs++;
    // a third of dialogs are a returning customer's
    const returning = d > 10 && rnd() < 0.33;
    const who = returning ? Math.floor(rnd() * customer) : customer++;
    perCustomer.set(who, (perCustomer.get(who) ?? 0) + 1);
    const length = Math.min(2 + Math.floor(rnd() * 37), messages - lines.length);
    const reference = `import-chat-${d}`;
    let at = START + Math.floor(rnd() * 360) * DAY + Math.floor(rnd() * DAY);
    const contact = {
      name: customerName(who),
      contacts: [
        customData(`import-user-${who}`),
        ...(who % 4 === 0
          ? [
              {
                type: 'phone',
                value: `+7 916 ${String(3_000_000 + who).slice(-7)}`,
                service: 'whatsapp',
              },
            ]
          : []),
      ],
    };
    for (let m = 0; m < length; m++) {
      // the opening line is the customer's: it makes the dialog an outgoing line goes into
      const fromCustomer = m === 0 || rnd() < 0.45;
      at += 30_000 + Math.floor(rnd() * (fromCustomer ? 3_600_000 : 600_000));
      const { timestamp: _now, ...fields } = messageFields(rnd, reference);
      const line: Record<string, unknown> = {
        external_id: `import-${d}-${m}`,
        direction: fromCustomer ? 'incoming' : 'outgoing',
        reference,
        timestamp: at,
        ...fields,
        ...(fromCustomer ? { dialog_title: `Order ${400_000 + d}`, contact_object: contact } : {}),
      };
      if (fromCustomer) incoming++;
      lines.push(JSON.stringify(line));
    }
  }
  return {
    ndjson: `${lines.join('\n')}\n`,
    messages: lines.length,
    dialogs,
    customers: perCustomer.size,
    incoming,
    outgoing: lines.length - incoming,
  };
};
