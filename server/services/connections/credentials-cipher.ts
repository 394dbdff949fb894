import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Connection credentials at rest: AES-256-GCM with a key from the environment. Several keys may
 * be configured ("id:base64key,…"); the first encrypts, any decrypts, so a key is rotated by
 * putting a new one first and re-encrypting (see `reencrypt`).
 * Envelope: v1.<keyId>.<iv>.<tag>.<ciphertext>, each part base64url.
 */
export interface CredentialKeys {
  active: { id: string; key: Buffer };
  all: Map<string, Buffer>;
}

export function parseCredentialKeys(spec: string): CredentialKeys {
  const entries = spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [id, encoded] = part.split(':');
      const key = Buffer.from(encoded ?? '', 'base64');
      if (!id || !/^[A-Za-z0-9_-]+$/.test(id) || key.length !== 32) {
        throw new Error('each credentials key must be "<id>:<32 bytes in base64>"');
      }
      return [id, key] as const;
    });
  if (entries.length === 0) throw new Error('no credentials key configured');
  return { active: { id: entries[0]![0], key: entries[0]![1] }, all: new Map(entries) };
}

export function generateCredentialKey(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export function encryptCredentials(keys: CredentialKeys, value: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.active.key, iv);
  cipher.setAAD(Buffer.from(keys.active.id));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', keys.active.id, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptCredentials(keys: CredentialKeys, envelope: string): Record<string, string> {
  const [version, keyId, iv, tag, ciphertext] = envelope.split('.');
  if (version !== 'v1' || !keyId || !iv || !tag || ciphertext === undefined)
    throw new Error('not a credentials envelope');
  const key = keys.all.get(keyId);
  if (!key) throw new Error(`credentials were encrypted with key "${keyId}", which is not configured`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Record<string, string>;
}

/** The envelope under the active key (unchanged when it already is). */
export function reencrypt(keys: CredentialKeys, envelope: string): string {
  return envelope.split('.')[1] === keys.active.id
    ? envelope
    : encryptCredentials(keys, decryptCredentials(keys, envelope));
}
