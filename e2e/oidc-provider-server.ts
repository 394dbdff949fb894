/**
 * A small OpenID Connect provider for the browser tests (oidc-provider, with its own login and
 * consent pages): any login signs in; the account's claims come from ACCOUNTS. Loopback only.
 *   OIDC_PROVIDER_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, CONSOLE_URL
 */
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

/** Who each login is at the provider; an unknown login is a person with an unverified address. */
const ACCOUNTS: Record<string, { email: string; email_verified: boolean; name: string }> = {
  finance: { email: 'finance@syncwright.example', email_verified: true, name: 'Demo Finance' },
  unverified: { email: 'operations@syncwright.example', email_verified: false, name: 'Someone' },
};

const port = Number(process.env.OIDC_PROVIDER_PORT);
const consoleUrl = process.env.CONSOLE_URL!;
const provider = new Provider(`http://localhost:${port}`, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID!,
      client_secret: process.env.OIDC_CLIENT_SECRET!,
      redirect_uris: [`${consoleUrl}/api/auth/callback/oidc`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The console reads the ID token's claims, not the userinfo endpoint.
  conformIdTokenClaims: false,
  cookies: { keys: [randomBytes(32).toString('hex')] },
  findAccount: (_ctx, sub) => ({
    accountId: sub,
    claims: () => ({ sub, ...(ACCOUNTS[sub] ?? { email: `${sub}@nowhere.example`, email_verified: false }) }),
  }),
});
provider.listen(port, () => console.log(`test OIDC provider at http://localhost:${port}`));
