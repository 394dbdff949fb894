import { describe, expect, it } from 'vitest';
import {
  decryptCredentials,
  encryptCredentials,
  generateCredentialKey,
  parseCredentialKeys,
  reencrypt,
} from './credentials-cipher';

const secret = { clientId: 'abc', clientSecret: 's3cr3t-value' };

describe('credentials cipher', () => {
  it('round-trips and never shows the secret in the envelope', () => {
    const keys = parseCredentialKeys(generateCredentialKey('k1'));
    const envelope = encryptCredentials(keys, secret);
    expect(envelope).not.toContain('s3cr3t');
    expect(decryptCredentials(keys, envelope)).toEqual(secret);
    expect(encryptCredentials(keys, secret)).not.toBe(envelope); // a fresh IV each time
  });

  it('detects tampering', () => {
    const keys = parseCredentialKeys(generateCredentialKey('k1'));
    const parts = encryptCredentials(keys, secret).split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => decryptCredentials(keys, parts.join('.'))).toThrow();
  });

  it('rotates: old envelopes still open, re-encryption moves them to the new key', () => {
    const oldKey = generateCredentialKey('k1');
    const envelope = encryptCredentials(parseCredentialKeys(oldKey), secret);
    const rotated = parseCredentialKeys(`${generateCredentialKey('k2')},${oldKey}`);
    expect(decryptCredentials(rotated, envelope)).toEqual(secret);
    const moved = reencrypt(rotated, envelope);
    expect(moved.split('.')[1]).toBe('k2');
    expect(
      decryptCredentials(parseCredentialKeys(rotated.active.id + ':' + rotated.active.key.toString('base64')), moved),
    ).toEqual(secret);
  });

  it('names a missing key and a malformed key list', () => {
    const envelope = encryptCredentials(parseCredentialKeys(generateCredentialKey('gone')), secret);
    expect(() => decryptCredentials(parseCredentialKeys(generateCredentialKey('k9')), envelope)).toThrow(/"gone"/);
    expect(() => parseCredentialKeys('k1:short')).toThrow(/32 bytes/);
  });
});
