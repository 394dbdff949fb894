import { createHash } from 'node:crypto';

/**
 * A canonical id derived from the source record's own identity, so re-reading the same record
 * (a re-run, a replay, another worker) always names the same canonical record. UUID-shaped
 * (version 8, "custom") from a SHA-256 of the source key.
 */
export function canonicalIdFor(system: string, objectType: string, externalId: string): string {
  return uuidOf(`${system}\u0000${objectType}\u0000${externalId}`);
}

/** A UUID (version 8, "custom") from a SHA-256 of `text`: the same text, the same UUID. */
export function uuidOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The idempotency key of one write: the routine, the target, the canonical record and what it
 * says. A retry, a re-run, a restart after a crash and a replay all derive the same key.
 */
export function idempotencyKeyFor(parts: {
  routine: string;
  targetSystem: string;
  targetType: string;
  canonicalId: string;
  contentHash: string;
}): string {
  const digest = createHash('sha256')
    .update([parts.routine, parts.targetSystem, parts.targetType, parts.canonicalId, parts.contentHash].join('\u0000'))
    .digest('base64url');
  return `sw_${digest}`;
}
