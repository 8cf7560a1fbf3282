/** `npm run keys -- status | rotate` (docs/operations.md, "Secrets and the master key"). */
import { keysCli } from '../src/infrastructure/keys/keysCli';

keysCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
