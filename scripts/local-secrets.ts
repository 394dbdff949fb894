import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Settings that `npm start` generates once per data folder and keeps there (never in the
 * repository): the session-signing secret and the demo users' password.
 */
export function localSecrets(dataDir: string): { authSecret: string; demoPassword: string } {
  const file = path.join(dataDir, 'local-secrets.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { authSecret?: string; demoPassword?: string };
    if (saved.authSecret && saved.demoPassword) return { authSecret: saved.authSecret, demoPassword: saved.demoPassword };
  }
  const secrets = {
    authSecret: randomBytes(32).toString('base64url'),
    demoPassword: `demo-${randomBytes(6).toString('hex')}`,
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
