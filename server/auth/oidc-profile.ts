/** The claims of an OpenID Connect ID token that sign-in relies on. */
export interface OidcProfile {
  iss: string;
  sub: string;
  email?: string;
  email_verified?: boolean | string;
  name?: string;
}

/**
 * The e-mail an identity provider vouches for, or null: an address the provider has not verified
 * could belong to anyone who typed it in, so it never matches an account.
 */
export function verifiedEmail(profile: Partial<OidcProfile> | undefined): string | null {
  if (!profile?.email) return null;
  // Some providers send the claim as a string.
  const verified = profile.email_verified === true || profile.email_verified === 'true';
  return verified ? profile.email : null;
}
