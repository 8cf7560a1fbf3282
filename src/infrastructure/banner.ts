import path from 'node:path';
import { endpointUrl } from './http/routes/channels';
import type { Parley } from './parley';

/** What a person starting Parley needs to post a first message, printed to stdout. */
export const banner = (parley: Parley): string => {
  const { deps, adminToken, firstChannel } = parley;
  const lines = [`Parley is ready on ${parley.url}`];
  if (adminToken.source === 'generated') {
    lines.push(
      `  admin token:  ${adminToken.token}`,
      `                (kept in ${path.join(deps.config.dataDir, 'admin-token')})`,
    );
  } else if (adminToken.source === 'data-dir') {
    lines.push(`  admin token:  in ${path.join(deps.config.dataDir, 'admin-token')}`);
  } else {
    lines.push('  admin token:  ADMIN_TOKEN from the environment');
  }
  if (deps.auditKey.source === 'generated') {
    lines.push(
      `  audit key:    ${deps.auditKey.publicKeyBase64}`,
      `                (Ed25519 public key, also at GET /api/audit/public-key; keep a copy elsewhere)`,
    );
  }
  if (firstChannel !== null) {
    const endpoint = `${endpointUrl(deps.publicUrl, firstChannel.channelId)}?token=${firstChannel.token.token}`;
    lines.push(
      `  channel:      "${firstChannel.name}" (${firstChannel.channelId}), created now; its token is shown only this once`,
      `  endpoint:     ${endpoint}`,
      '  try it:',
      `    curl -s -X POST '${endpoint}' \\`,
      `      -H 'Content-Type: application/json' \\`,
      `      -d '{"reference":"order-42","text":"Hello!","contact_object":{"name":"Vasya Pupkin","contacts":[{"type":"id","value":"customer-1","service":"custom"}]}}'`,
    );
  }
  return `${lines.join('\n')}\n`;
};
