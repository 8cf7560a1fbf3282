import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newToken } from '../application/secrets';

export type AdminToken = Readonly<{
  token: string;
  source: 'environment' | 'generated' | 'data-dir';
}>;

/**
 * ADMIN_TOKEN when set; otherwise the token kept in DATA_DIR/admin-token, generated on the
 * first start (mode 0600) so that restarts keep it.
 */
export const resolveAdminToken = async (
  fromEnv: string | null,
  dataDir: string,
): Promise<AdminToken> => {
  if (fromEnv !== null) return { token: fromEnv, source: 'environment' };
  const file = path.join(path.resolve(dataDir), 'admin-token');
  if (existsSync(file)) return { token: (await readFile(file, 'utf8')).trim(), source: 'data-dir' };
  await mkdir(path.dirname(file), { recursive: true });
  const token = newToken('padm_');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, source: 'generated' };
};
