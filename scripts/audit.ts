/**
 * `npm run audit -- export | verify | import` (from a checkout, through tsx), or
 * `node dist/scripts/audit.js …` (the compiled code, in the production image).
 */
import { once } from 'node:events';
import { auditCli } from '../src/infrastructure/cli/auditCli';

auditCli(process.argv.slice(2), {
  env: process.env,
  // an export can be the whole log: wait when stdout is full rather than buffer it
  out: async (text) => {
    if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  },
  err: (text) => void process.stderr.write(text),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `parley: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
