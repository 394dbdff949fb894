import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import { credentialKeys } from './connections';
import { reencrypt } from './credentials-cipher';

export interface CredentialsRotation {
  rotated: number;
  unchanged: number;
  keyId: string;
}

const CLI_ACTOR = { id: null, email: 'system:cli' };

/**
 * Re-encrypts every connection's credentials under the active key (the first of
 * CREDENTIALS_KEYS), so the keys after it can be dropped, and upgrades envelopes written before
 * credentials were bound to their connection. All or nothing: a connection whose
 * credentials no configured key opens stops the whole rotation before anything is written.
 *
 * The connector cache is left alone: it holds decrypted credentials, which rotation never changes.
 */
export async function rotateConnectionCredentials(): Promise<CredentialsRotation> {
  const keys = credentialKeys();
  return db().$transaction(async (tx) => {
    // Locked, so a connection saved meanwhile is not overwritten with its old credentials.
    const connections = await tx.$queryRaw<{ id: string; name: string; baseUrl: string; credentials: string }[]>`
      SELECT id::text, name, "baseUrl", credentials FROM "Connection" ORDER BY name FOR UPDATE`;

    const changes = connections.map((connection) => {
      try {
        return {
          connection,
          credentials: reencrypt(keys, connection.credentials, {
            connectionId: connection.id,
            baseUrl: connection.baseUrl,
          }),
        };
      } catch (err) {
        throw new AppError(
          'BAD_REQUEST',
          `Connection "${connection.name}" (${connection.id}) cannot be re-encrypted: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.`,
        );
      }
    });
    const rotated = changes.filter((change) => change.credentials !== change.connection.credentials);

    for (const { connection, credentials } of rotated) {
      await tx.connection.update({ where: { id: connection.id }, data: { credentials } });
    }
    await appendAuditEvent(tx, {
      actor: CLI_ACTOR,
      action: 'connection.credentials_rotated',
      target: { type: 'Connection', id: null },
      after: {
        keyId: keys.active.id,
        rotated: rotated.map(({ connection }) => ({ id: connection.id, name: connection.name })),
        unchanged: connections.length - rotated.length,
      },
    });
    return { rotated: rotated.length, unchanged: connections.length - rotated.length, keyId: keys.active.id };
  });
}
