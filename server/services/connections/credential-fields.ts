import { CREDENTIAL_FIELDS } from '@/lib/connection-credentials';
import type { SystemName } from '@/server/domain/canonical/canonical-record';

/**
 * How a stored credential is shown once saved: its kind prefix (`sk_`, `rk_`…) and last four
 * characters, as services print keys themselves. Short values show nothing of themselves, so
 * the visible part never gives away much of a secret.
 */
export function maskCredential(value: string): string {
  const prefix = /^[a-z]{2,4}_/.exec(value)?.[0] ?? '';
  return value.length >= 16 ? `${prefix}…${value.slice(-4)}` : `${prefix}…`;
}

/** Every credential an admin entered, masked; the stored ones we add ourselves (webhook) are left out. */
export function maskCredentials(system: SystemName, credentials: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    CREDENTIAL_FIELDS[system]
      .filter((f) => credentials[f.key])
      .map((f) => [f.key, maskCredential(credentials[f.key]!)]),
  );
}
