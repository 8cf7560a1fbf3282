import { random, seedCustomerBody, seedMergeCustomerBody, type Population } from '../load/mix';

/** Runs `work(i)` for i in [0, count) with at most `concurrency` at once. */
export const inParallel = async (
  count: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
};

export type Seeded = Readonly<{ requests: number; seconds: number }>;

/** POSTs each body to the inbound endpoint, 16 at a time; any answer but 200 fails. */
const postAll = async (url: string, path: string, bodies: readonly unknown[]): Promise<Seeded> => {
  const started = performance.now();
  await inParallel(bodies.length, 16, async (i) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bodies[i]),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`seeding failed: ${response.status} ${text}`);
  });
  return { requests: bodies.length, seconds: (performance.now() - started) / 1000 };
};

/**
 * The customers the load talks to, created through the inbound endpoint itself, so their
 * streams are exactly what production has: claims, contact, reference, dialog, first message.
 */
export const seedPopulation = async (
  url: string,
  path: string,
  population: Population,
): Promise<Seeded> => {
  const rnd = random(7);
  const customers: unknown[] = [];
  for (let i = 0; i < population.customers; i++) customers.push(seedCustomerBody(i, rnd));
  const pairs: unknown[] = [];
  for (let p = 0; p < population.mergePairs; p++) {
    pairs.push(seedMergeCustomerBody(p, 'a', rnd));
    pairs.push(seedMergeCustomerBody(p, 'b', rnd));
  }
  // the merge pairs first: each merges once, while the customers get 70 % of the load, and
  // sent last they are what Parley's caches hold when the load starts, as a steady inbox's
  // active customers are (sent first, tens of thousands of pair customers evicted them)
  return postAll(url, path, [...pairs, ...customers]);
};
