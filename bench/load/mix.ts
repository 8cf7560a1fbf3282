/**
 * What integrators send, in the proportions the bench promises (docs/performance.md):
 * 70 % messages into existing references, 20 % new references of known customers, 10 % new
 * contacts that merge two existing ones. Deterministic for a given seed, so runs compare.
 */

/** The customers seeded before measuring: names and custom ids derived from their index. */
export type Population = Readonly<{
  /** customers with one open dialog each, found by reference */
  customers: number;
  /** pairs of customers kept apart for merge requests, each pair merged once */
  mergePairs: number;
}>;

export const customerId = (i: number): string => `avito-user-${i}`;
export const customerReference = (i: number): string => `avito-chat-u2i-${i}`;
export const mergeCustomerId = (pair: number, side: 'a' | 'b'): string =>
  `avito-user-m${pair}${side}`;

export type RequestKind = 'existing' | 'newReference' | 'merge';

/** mulberry32: small, fast, good enough to pick requests. */
export const random = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const FIRST = [
  'Vasya',
  'Masha',
  'Oleg',
  'Irina',
  'Dmitry',
  'Anna',
  'Sergey',
  'Olga',
  'Pavel',
  'Elena',
  'John',
  'Maria',
];
const LAST = [
  'Pupkin',
  'Ivanova',
  'Smirnov',
  'Kuznetsova',
  'Popov',
  'Sokolova',
  'Lebedev',
  'Novikova',
  'Morozov',
  'Volkova',
  'Smith',
  'Garcia',
];
const SENTENCES = [
  'Hello! Is the sofa still available?',
  'Could you tell me the exact dimensions and the colour of the upholstery, please?',
  'I can pick it up on Saturday morning if that works for you.',
  'Здравствуйте! Подскажите, пожалуйста, товар ещё в наличии?',
  'Можно ли оплатить картой при получении и есть ли доставка до подъезда?',
  'The order number is 4815-1623-42, it was placed on Monday evening.',
  'My parcel has not arrived yet although the tracking says it was delivered yesterday.',
  'Спасибо за быстрый ответ, тогда оформляю заказ на завтра.',
  'Is there any discount if I take two of them together?',
  'Please send me the invoice to the same e-mail address as last time.',
];

export const customerName = (i: number): string =>
  `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;

/** A few hundred bytes of text; sometimes html, sometimes a photo; always integration data. */
export const messageFields = (rnd: () => number, chat: string): Record<string, unknown> => {
  const sentences = 2 + Math.floor(rnd() * 5);
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++)
    parts.push(SENTENCES[Math.floor(rnd() * SENTENCES.length)] as string);
  const text = parts.join(' ');
  const fields: Record<string, unknown> = {
    text,
    timestamp: Date.now() - Math.floor(rnd() * 5000),
    integration_data: JSON.stringify({
      chat,
      item: 1_000_000 + Math.floor(rnd() * 9_000_000),
      source: 'avito',
      v: 2,
    }),
  };
  if (rnd() < 0.2) fields.html = parts.map((p) => `<p>${p}</p>`).join('');
  if (rnd() < 0.1) {
    fields.attachments = [
      {
        // an address on this machine where nothing listens: each fetch fails as an unreachable
        // CDN's would and is retried, and the bench never leaves 127.0.0.1 (a host name here
        // sent a DNS query off the machine for every attempt)
        url: `http://127.0.0.1:9/photos/${Math.floor(rnd() * 1e9)}.jpg`,
        size: 20_000 + Math.floor(rnd() * 2_000_000),
        name: 'photo.jpg',
        mimeType: 'image/jpeg',
      },
    ];
  }
  return fields;
};

export const customData = (value: string) => ({
  type: 'id',
  value,
  service: 'custom',
  origin: 'custom',
});

/** The message that creates customer i and their dialog (seeding). */
export const seedCustomerBody = (i: number, rnd: () => number): Record<string, unknown> => ({
  reference: customerReference(i),
  dialog_title: `Order ${100_000 + i}`,
  ...messageFields(rnd, customerReference(i)),
  contact_object: { name: customerName(i), contacts: [customData(customerId(i))] },
});

/** The message that creates one side of a merge pair (seeding). */
export const seedMergeCustomerBody = (pair: number, side: 'a' | 'b', rnd: () => number) => ({
  ...messageFields(rnd, `m${pair}${side}`),
  contact_object: {
    name: customerName(pair),
    contacts: [customData(mergeCustomerId(pair, side))],
  },
});

export type Mix = Readonly<{
  next(): { kind: RequestKind; body: string };
  /** merge pairs consumed so far, and requests that wanted one when none was left */
  mergesUsed(): number;
  mergesMissed(): number;
}>;

/**
 * `stream` names this load run so that its new references and phone numbers never collide with
 * another run's; `mergeFrom`/`mergeTo` is the slice of merge pairs this run may consume.
 */
export const requestMix = (
  population: Population,
  options: Readonly<{ seed: number; stream: string; mergeFrom: number; mergeTo: number }>,
): Mix => {
  const rnd = random(options.seed);
  let newReferences = 0;
  let nextPair = options.mergeFrom;
  let missed = 0;
  const pick = (): number => Math.floor(rnd() * population.customers);
  return {
    mergesUsed: () => nextPair - options.mergeFrom,
    mergesMissed: () => missed,
    next: () => {
      const draw = rnd();
      if (draw < 0.7) {
        const i = pick();
        return {
          kind: 'existing',
          body: JSON.stringify({
            reference: customerReference(i),
            ...messageFields(rnd, customerReference(i)),
            contact_object: { name: customerName(i), contacts: [customData(customerId(i))] },
          }),
        };
      }
      if (draw < 0.9 || nextPair >= options.mergeTo) {
        if (draw >= 0.9) missed++;
        const i = pick();
        const reference = `avito-chat-${options.stream}-${newReferences++}`;
        return {
          kind: 'newReference',
          body: JSON.stringify({
            reference,
            dialog_title: `Order ${200_000 + newReferences}`,
            ...messageFields(rnd, reference),
            contact_object: { name: customerName(i), contacts: [customData(customerId(i))] },
          }),
        };
      }
      // a customer writes from a new phone, naming both accounts they used: one contact now
      const pair = nextPair++;
      const reference = `avito-chat-${options.stream}-m${pair}`;
      return {
        kind: 'merge',
        body: JSON.stringify({
          reference,
          dialog_title: `Order ${300_000 + pair}`,
          ...messageFields(rnd, reference),
          contact_object: {
            name: customerName(pair),
            description: 'wrote from two accounts',
            contacts: [
              customData(mergeCustomerId(pair, 'a')),
              customData(mergeCustomerId(pair, 'b')),
              {
                type: 'phone',
                value: `+7 916 ${String(1_000_000 + pair).slice(-7)}`,
                service: 'whatsapp',
              },
            ],
          },
        }),
      };
    },
  };
};
