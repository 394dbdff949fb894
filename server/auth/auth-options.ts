import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env } from '@/env';
import { db } from '@/server/db/client';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import { requestClientAddress } from './client-address';
import { endSession, sessionDigest, sessionKey } from './session-store';
import { signInWithPassword, signInWithSso } from './sign-in';
import { sessionCookies } from './session-cookies';
import { verifiedEmail, type OidcProfile } from './oidc-profile';

declare module 'next-auth' {
  interface Session {
    sid?: string;
  }
  interface User {
    sessionId?: string;
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    sid?: string;
  }
}

/** Error codes the sign-in page turns into messages. */
export const SIGN_IN_ERRORS = {
  invalid_credentials: 'Email or password is incorrect.',
  rate_limited: 'Too many failed sign-in attempts. Wait a minute, then try again.',
  sso_denied: 'Your single sign-on account has no access to Syncwright. Ask an admin to add you.',
} as const;

const oidcEnabled = Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
export const ssoProvider = oidcEnabled ? { id: 'oidc', name: env.OIDC_NAME } : null;

/**
 * next-auth keeps only a session id in its signed JWT cookie. The session row it points to is
 * the truth (lifetime, idle timeout, user state), checked on every request by resolveSession.
 */
export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: env.SESSION_MAX_AGE_HOURS * 3600 },
  ...sessionCookies(env.NEXTAUTH_URL),
  pages: { signIn: '/signin', error: '/signin' },
  providers: [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) throw new Error('invalid_credentials');
        const headers = (req.headers ?? {}) as Record<string, string | undefined>;
        const result = await signInWithPassword(
          { email: credentials.email, password: credentials.password },
          { ip: requestClientAddress((name) => headers[name] ?? null), userAgent: headers['user-agent'] ?? null },
        );
        if (!result.ok) throw new Error(result.reason);
        return {
          id: result.user.id,
          email: result.user.email,
          name: result.user.name,
          sessionId: result.user.sessionId,
        };
      },
    }),
    ...(oidcEnabled
      ? [
          {
            id: 'oidc',
            name: env.OIDC_NAME,
            type: 'oauth' as const,
            wellKnown: `${env.OIDC_ISSUER!.replace(/\/$/, '')}/.well-known/openid-configuration`,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            idToken: true,
            checks: ['pkce' as const, 'state' as const, 'nonce' as const],
            authorization: { params: { scope: 'openid email profile' } },
            profile(profile: OidcProfile) {
              return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null };
            },
          },
        ]
      : []),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== 'oidc') return true;
      const claims = profile as Partial<OidcProfile> | undefined;
      const sessionUser = claims?.sub
        ? await signInWithSso(
            // The ID token's issuer, which openid-client has checked against the discovered one.
            { issuer: claims.iss ?? env.OIDC_ISSUER!, subject: claims.sub, verifiedEmail: verifiedEmail(claims) },
            'oidc',
          )
        : null;
      if (!sessionUser) return '/signin?error=sso_denied';
      user.sessionId = sessionUser.sessionId;
      return true;
    },
    jwt({ token, user }) {
      if (user?.sessionId) token.sid = user.sessionId;
      return token;
    },
    session({ session, token }) {
      return { expires: session.expires, sid: token.sid };
    },
  },
  events: {
    async signOut({ token }) {
      if (!token?.sid) return;
      const sid = token.sid;
      await db().$transaction(async (tx) => {
        const session = await tx.authSession.findUnique({ where: { id: sessionKey(sid) }, include: { user: true } });
        if (!session || session.endedAt) return;
        await endSession(sid, 'signed_out', tx);
        await appendAuditEvent(tx, {
          actor: { id: session.user.id, email: session.user.email },
          action: 'auth.signed_out',
          target: { type: 'User', id: session.user.id },
          after: { session: sessionDigest(sid) },
        });
      });
    },
  },
};
