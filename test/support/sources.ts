import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every non-spec TypeScript file under `dir`: what docs tests scan for names. */
export const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !name.includes('.spec.') ? [full] : [];
  });
