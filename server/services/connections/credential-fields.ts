import type { SystemName } from '@/server/domain/canonical/canonical-record';

/** The credentials each kind of system needs, as an admin enters them (in this order). */
export const CREDENTIAL_FIELDS: Record<SystemName, readonly { key: string; label: string; secret: boolean }[]> = {
  salesforce: [
    { key: 'clientId', label: 'Client ID', secret: false },
    { key: 'clientSecret', label: 'Client secret', secret: true },
    { key: 'tokenUrl', label: 'Token URL', secret: false },
  ],
  netsuite: [
    { key: 'accountId', label: 'Account ID', secret: false },
    { key: 'consumerKey', label: 'Consumer key', secret: true },
    { key: 'consumerSecret', label: 'Consumer secret', secret: true },
    { key: 'tokenId', label: 'Token ID', secret: true },
    { key: 'tokenSecret', label: 'Token secret', secret: true },
  ],
  stripe: [{ key: 'secretKey', label: 'Secret key', secret: true }],
};

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
