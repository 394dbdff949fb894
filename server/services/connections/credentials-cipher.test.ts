import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptCredentials,
  encryptCredentials,
  generateCredentialKey,
  parseCredentialKeys,
  reencrypt,
} from './credentials-cipher';

const secret = { clientId: 'abc', clientSecret: 's3cr3t-value' };
const row = { connectionId: '5b0c2a52-3f43-4a43-9d1c-0b8f1f0e5a01', baseUrl: 'https://acme.my.salesforce.com' };

describe('credentials cipher', () => {
  it('round-trips and never shows the secret in the envelope', () => {
    const keys = parseCredentialKeys(generateCredentialKey('k1'));
    const envelope = encryptCredentials(keys, secret, row);
    expect(envelope).not.toContain('s3cr3t');
    expect(decryptCredentials(keys, envelope, row)).toEqual(secret);
    expect(encryptCredentials(keys, secret, row)).not.toBe(envelope); // a fresh IV each time
  });

  it('detects tampering', () => {
    const keys = parseCredentialKeys(generateCredentialKey('k1'));
    const parts = encryptCredentials(keys, secret, row).split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => decryptCredentials(keys, parts.join('.'), row)).toThrow();
  });

  it('rotates: old envelopes still open, re-encryption moves them to the new key', () => {
    const oldKey = generateCredentialKey('k1');
    const envelope = encryptCredentials(parseCredentialKeys(oldKey), secret, row);
    const rotated = parseCredentialKeys(`${generateCredentialKey('k2')},${oldKey}`);
    expect(decryptCredentials(rotated, envelope, row)).toEqual(secret);
    const moved = reencrypt(rotated, envelope, row);
    expect(moved.split('.')[1]).toBe('k2');
    expect(
      decryptCredentials(
        parseCredentialKeys(rotated.active.id + ':' + rotated.active.key.toString('base64')),
        moved,
        row,
      ),
    ).toEqual(secret);
  });

  it('names a missing key and a malformed key list', () => {
    const envelope = encryptCredentials(parseCredentialKeys(generateCredentialKey('gone')), secret, row);
    expect(() => decryptCredentials(parseCredentialKeys(generateCredentialKey('k9')), envelope, row)).toThrow(/"gone"/);
    expect(() => parseCredentialKeys('k1:short')).toThrow(/32 bytes/);
  });

  it('binds an envelope to its connection and base URL: moved to another row or repointed, it does not open', () => {
    const keys = parseCredentialKeys(generateCredentialKey('k1'));
    const envelope = encryptCredentials(keys, secret, row);
    const otherRow = { ...row, connectionId: '0f6b5c1e-8f5e-4f64-a3a4-3c2a8f0d9b77' };
    expect(() => decryptCredentials(keys, envelope, otherRow)).toThrow();
    expect(() => decryptCredentials(keys, envelope, { ...row, baseUrl: 'https://attacker.example' })).toThrow();
  });

  it('refuses a shortened authentication tag', () => {
    const keys = parseCredentialKeys(generateCredentialKey('k1'));
    const parts = encryptCredentials(keys, secret, row).split('.');
    parts[3] = Buffer.from(parts[3]!, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => decryptCredentials(keys, parts.join('.'), row)).toThrow();
  });

  it('upgrades an envelope without a binding only by re-encryption, never by reading it', () => {
    const keys = parseCredentialKeys(generateCredentialKey('k1'));
    const unbound = legacyEnvelope(keys, secret);
    expect(() => decryptCredentials(keys, unbound, row)).toThrow(/credentials:rotate/);
    const upgraded = reencrypt(keys, unbound, row);
    expect(decryptCredentials(keys, upgraded, row)).toEqual(secret);
  });
});

/** An envelope as written before credentials were bound to their connection (v1: the key id as AAD). */
function legacyEnvelope(keys: ReturnType<typeof parseCredentialKeys>, value: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.active.key, iv);
  cipher.setAAD(Buffer.from(keys.active.id));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [
    'v1',
    keys.active.id,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}
