/**
 * `npm run projections -- status | rebuild [name]` (from a checkout, through tsx), or
 * `node dist/scripts/projections.js …` (the compiled code, in the production image).
 */
import { projectionsCli } from '../src/infrastructure/cli/projectionsCli';

projectionsCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => void process.stdout.write(text),
  err: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `parley: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
