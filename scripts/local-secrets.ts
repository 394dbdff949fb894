import { randomBytes } from 'node:crypto';
import { generateCredentialKey } from '@/server/services/connections/credentials-cipher';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '@/lib/private-file';

interface LocalSecrets {
  authSecret: string;
  auditAnchorKey: string;
  demoPassword: string;
  credentialsKey: string;
}

/**
 * Settings that `npm start` generates once per data folder and keeps there (never in the
 * repository): the session-signing secret, the demo users' password and the key that encrypts
 * connection credentials. Missing ones are added; existing ones never change.
 */
export function localSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'local-secrets.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  const secrets: LocalSecrets = {
    authSecret: saved.authSecret ?? randomBytes(32).toString('base64url'),
    auditAnchorKey: saved.auditAnchorKey ?? randomBytes(32).toString('base64url'),
    demoPassword: saved.demoPassword ?? `demo-${randomBytes(6).toString('hex')}`,
    credentialsKey: saved.credentialsKey ?? generateCredentialKey('local1'),
  };
  writePrivateFile(file, JSON.stringify(secrets, null, 2));
  return secrets;
}
