import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Connection credentials at rest: AES-256-GCM with a key from the environment. Several keys may
 * be configured ("id:base64key,…"); the first encrypts, any decrypts, so a key is rotated by
 * putting a new one first and re-encrypting (see `reencrypt`).
 * Envelope: v2.<keyId>.<iv>.<tag>.<ciphertext>, each part base64url. The key id, the connection's
 * id and its base URL are authenticated with it, so an envelope copied to another connection, or
 * a connection repointed at another server, no longer opens.
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

/** The connection an envelope belongs to. */
export interface CredentialsOwner {
  connectionId: string;
  baseUrl: string;
}

const VERSION = 'v2';
/** v1 envelopes authenticated only the key id; they are opened by `reencrypt` alone. */
const UNBOUND_VERSION = 'v1';
// Pinned: GCM would otherwise accept a tag cut down to 4 bytes, which is far easier to forge.
const TAG_LENGTH = 16;

const boundData = (keyId: string, owner: CredentialsOwner) =>
  Buffer.from(JSON.stringify([keyId, owner.connectionId, owner.baseUrl]));

export function encryptCredentials(
  keys: CredentialKeys,
  value: Record<string, string>,
  owner: CredentialsOwner,
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.active.key, iv, { authTagLength: TAG_LENGTH });
  cipher.setAAD(boundData(keys.active.id, owner));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [VERSION, keys.active.id, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptCredentials(
  keys: CredentialKeys,
  envelope: string,
  owner: CredentialsOwner,
): Record<string, string> {
  if (envelope.startsWith(`${UNBOUND_VERSION}.`)) {
    throw new Error('credentials are stored in the old format: run `npm run credentials:rotate` once to upgrade them');
  }
  return open(keys, envelope, VERSION, (keyId) => boundData(keyId, owner));
}

/** The envelope under the active key and bound to its connection (unchanged when it already is). */
export function reencrypt(keys: CredentialKeys, envelope: string, owner: CredentialsOwner): string {
  const [version, keyId] = envelope.split('.');
  if (version === UNBOUND_VERSION)
    return encryptCredentials(
      keys,
      open(keys, envelope, UNBOUND_VERSION, (id) => Buffer.from(id)),
      owner,
    );
  return keyId === keys.active.id
    ? envelope
    : encryptCredentials(keys, decryptCredentials(keys, envelope, owner), owner);
}

function open(
  keys: CredentialKeys,
  envelope: string,
  expectedVersion: string,
  aad: (keyId: string) => Buffer,
): Record<string, string> {
  const [version, keyId, iv, tag, ciphertext] = envelope.split('.');
  if (version !== expectedVersion || !keyId || !iv || !tag || ciphertext === undefined)
    throw new Error('not a credentials envelope');
  const key = keys.all.get(keyId);
  if (!key) throw new Error(`credentials were encrypted with key "${keyId}", which is not configured`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad(keyId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Record<string, string>;
}
