import { notAvailable, type BenchContext, type NotAvailable } from '../lib/context';
import type { SeededLog } from './eventLog';

export type SearchSection = NotAvailable;

export const runSearch = async (_bench: BenchContext, _log: SeededLog): Promise<SearchSection> =>
  notAvailable('GET /api/contacts/search (issue 4) is not on main yet');
