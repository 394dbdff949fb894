import { randomBytes } from 'node:crypto';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { createUser } from './manage-users';

const CLI_ACTOR = { id: null, email: 'system:cli' };

/**
 * The first admin of an installation without demo users: created with a one-time password that
 * is returned once (to be shown once) and stored only as its hash. Refused once an enabled admin
 * exists: further users are created in the console.
 */
export async function createFirstAdmin(input: { email: string; name: string }): Promise<{ password: string }> {
  if (await db().user.count({ where: { role: 'admin', disabledAt: null } })) {
    throw new AppError('CONFLICT', 'An admin exists already: sign in as that admin and create users in the console.');
  }
  const password = randomBytes(18).toString('base64url');
  await createUser(
    { ...input, role: 'admin', password, mustChangePassword: true },
    { actor: CLI_ACTOR, requestId: null, ip: null },
  );
  return { password };
}
