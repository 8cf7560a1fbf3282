import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Checkpoint } from '../../application/ports/eventStore';
import { exportLines } from '../audit/exportLog';
import { importLog } from '../audit/importLog';
import { parsePublicKey, resolveSigningKey } from '../audit/signingKey';
import type { Verification } from '../audit/verification';
import { verifyExport, verifyLive } from '../audit/verifyLog';
import { systemClock } from '../clock';
import { createEventStore } from '../eventstore/createEventStore';
import { resolveMasterKey } from '../keys/masterKey';
import { migrate } from '../postgres/migrations';
import { PostgresSubjectKeys } from '../privacy/postgresSubjectKeys';
import { cliConfig, openCliDatabase } from './cliDatabase';

export type AuditCliIo = Readonly<{
  env: NodeJS.ProcessEnv;
  /** stdout; a promise when it asks to wait (an export is written as it is read) */
  out: (text: string) => void | Promise<void>;
  err: (text: string) => void;
}>;

const USAGE = `usage: npm run audit -- <command>

  export [--after CURSOR]            the log (and the notary's records and signed checkpoints)
                                     as NDJSON on stdout, from the start or after CURSOR
  verify                             the live store against the notary's signed checkpoints
  verify FILE --public-key KEY       an export, offline: nothing but the file and the key
                                     (KEY: base64 as GET /api/audit/public-key gives it, or a PEM file)
  import FILE                        a whole export into an EMPTY store (PostgreSQL, or
                                     EventStoreDB when EVENTSTORE_URL is set)

exit code: 0 verified / done, 1 findings or failure, 2 usage
database: DATABASE_URL, else the embedded PostgreSQL in DATA_DIR (shared with a running Parley)
`;

type Parsed = Readonly<{ command: string; file: string | null; options: Record<string, string> }>;

const parseArgs = (args: readonly string[]): Parsed | null => {
  const [command, ...rest] = args;
  if (command === undefined) return null;
  const options: Record<string, string> = {};
  let file: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg.startsWith('--')) {
      const value = rest[++i];
      if (value === undefined) return null;
      options[arg.slice(2)] = value;
    } else if (file === null) file = arg;
    else return null;
  }
  return { command, file, options };
};

const linesOf = (file: string): AsyncIterable<string> =>
  createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });

const keyText = async (value: string): Promise<string> =>
  value.includes('BEGIN') || /^[A-Za-z0-9+/=]+$/.test(value) ? value : readFile(value, 'utf8');

const summary = (report: Verification): string =>
  report.ok
    ? `verified: ${report.events_notarized} notarised events, ${report.checkpoints_checked} signed checkpoints, ${report.events_pending} not notarised yet, ${report.events_unsigned} after the last signature\n`
    : `NOT VERIFIED: ${report.findings.length}${report.findings_truncated ? '+' : ''} finding(s)\n${report.findings
        .slice(0, 20)
        .map(
          (f) =>
            `  ${f.kind}: ${f.stream ?? '-'} revision ${f.revision ?? '-'} at ${f.position ?? '-'}: ${f.detail}\n`,
        )
        .join('')}`;

/** `npm run audit -- export | verify | import`; resolves to the exit code. */
export const auditCli = async (args: readonly string[], io: AuditCliIo): Promise<number> => {
  const parsed = parseArgs(args);
  const valid =
    parsed !== null &&
    ((parsed.command === 'export' && parsed.file === null) ||
      (parsed.command === 'verify' &&
        (parsed.file === null) === (parsed.options['public-key'] === undefined)) ||
      (parsed.command === 'import' && parsed.file !== null));
  if (!valid || parsed === null) {
    io.err(USAGE);
    return 2;
  }
  const { command, file, options } = parsed;
  try {
    if (command === 'verify' && file !== null) {
      const key = parsePublicKey(await keyText(options['public-key'] as string));
      const report = await verifyExport(linesOf(file), key);
      await io.out(`${JSON.stringify(report, null, 2)}\n`);
      io.err(
        report.ended
          ? summary(report)
          : `NOT VERIFIED: the file has no end line (cut short?)\n${summary(report)}`,
      );
      return report.ok ? 0 : 1;
    }
  } catch (error) {
    io.err(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }

  const config = cliConfig(io.env, (text) => io.err(text));
  if (config === null) return 2;
  const database = await openCliDatabase(config);
  try {
    io.err(`database: ${database.describe}\n`);
    await migrate(database.pool);
    const store = await createEventStore(config, database.pool);
    try {
      if (command === 'import') {
        const result = await importLog(store, linesOf(file as string));
        // an erasure in the log erases again here: keys restored beside it must not outlive it
        const keys = new PostgresSubjectKeys(database.pool, {
          masterKeys: [await resolveMasterKey(config.masterKey.current, config.dataDir)],
        });
        await keys.destroy(result.erasedContactIds);
        io.err(
          `imported ${result.events} events in ${result.streams} streams, erased ${result.erasedContactIds.length} contacts again; start Parley to build the read models\n`,
        );
        return 0;
      }
      const key = await resolveSigningKey(config.audit.signingKey, config.dataDir, false);
      if (command === 'verify') {
        const report = await verifyLive(database.pool, store, key.publicKey);
        await io.out(`${JSON.stringify(report, null, 2)}\n`);
        io.err(summary(report));
        return report.ok ? 0 : 1;
      }
      const after = (options.after ?? null) as Checkpoint | null;
      if (after !== null) store.compareCheckpoints(after, null);
      const lines = exportLines(
        { pool: database.pool, store, clock: systemClock, publicKey: key.publicKeyBase64 },
        { after },
      );
      for await (const line of lines) await io.out(line);
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    io.err(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await database.close();
  }
};
