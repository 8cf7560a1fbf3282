import type { KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import type { EventStore } from '../../application/ports/eventStore';
import { verifyReanchorings } from '../privacy/reanchoring';
import { notaryHead } from './auditTables';
import { liveItems } from './auditLog';
import { digestOfJson, type ExportLine } from './exportFormat';
import { verifyItems, type ChainStart, type Verification, type VerifyItem } from './verification';

/** The live store against the notary's tables and signed checkpoints. */
export const verifyLive = async (
  pool: Pool,
  store: EventStore,
  key: KeyObject,
): Promise<Verification> => {
  const head = await notaryHead(pool);
  const result = await verifyItems(liveItems(pool, store, head.seq), key);
  const reanchorings = await verifyReanchorings(pool, key);
  return reanchorings.length === 0
    ? result
    : { ...result, ok: false, findings: [...result.findings, ...reanchorings] };
};

export class ExportFormatError extends Error {
  override readonly name = 'ExportFormatError';
}

/** Parses an export's lines, checking the header first; line numbers name a bad line. */
export async function* exportLinesOf(lines: AsyncIterable<string>): AsyncGenerator<ExportLine> {
  let number = 0;
  for await (const text of lines) {
    number++;
    if (text.trim() === '') continue;
    let line: ExportLine;
    try {
      line = JSON.parse(text) as ExportLine;
    } catch {
      throw new ExportFormatError(`line ${number} is not JSON`);
    }
    if (number === 1 && (line.kind !== 'header' || line.format !== 'parley-audit-export'))
      throw new ExportFormatError('not a Parley audit export: the first line is not its header');
    yield line;
  }
  if (number === 0) throw new ExportFormatError('the file is empty');
}

/**
 * An export checked offline, with nothing but the file and the public key: each line's event
 * against the record beside it, the records against each other and the signed checkpoints.
 * Lines removed from the file show as missing records and as streams the checkpoints name.
 */
export const verifyExport = async (
  lines: AsyncIterable<string>,
  key: KeyObject,
): Promise<Verification & Readonly<{ ended: boolean }>> => {
  const parsed = exportLinesOf(lines);
  const header = (await parsed.next()).value as Extract<ExportLine, { kind: 'header' }>;
  if (header.types !== null || header.stream_prefix !== null)
    throw new ExportFormatError(
      'a filtered export cannot be verified as a whole: export without types or stream_prefix',
    );
  let ended = false;
  async function* items(): AsyncGenerator<VerifyItem> {
    for await (const line of parsed) {
      if (line.kind === 'checkpoint') yield { kind: 'checkpoint', checkpoint: line };
      else if (line.kind === 'end') ended = true;
      else if (line.kind === 'event')
        yield {
          kind: 'event',
          event: {
            position: line.position,
            stream: line.stream,
            revision: BigInt(line.revision),
            id: line.id,
            type: line.type,
            data: line.data,
            metadata: line.metadata,
          },
          digest: line.digest === null ? null : digestOfJson(line.digest),
        };
    }
  }
  const start: ChainStart = {
    seq: BigInt(header.chain_start.seq),
    globalHead: header.chain_start.global_head,
  };
  const result = await verifyItems(items(), key, start);
  return { ...result, ok: result.ok && ended, ended };
};
