import { notAvailable, type BenchContext, type NotAvailable } from '../lib/context';

export type WebhooksSection = NotAvailable;

export const runWebhooks = async (_bench: BenchContext): Promise<WebhooksSection> =>
  notAvailable('webhook subscriptions and the delivery worker (issue 5) are not on main yet');
