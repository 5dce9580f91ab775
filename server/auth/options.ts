import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { headers } from 'next/headers';
import { signInWithPassword } from '@/server/auth/sign-in';
import { linkOidcUser } from '@/server/auth/oidc';
import { appDb } from '@/server/db';
import { requestMetaFromHeaders } from '@/server/http/request-meta';

const SESSION_HOURS = 12;

// next-auth hands OAuth callbacks no request; the route handler's headers carry the client address and request id.
async function currentRequestMeta() {
  try {
    return requestMetaFromHeaders(await headers());
  } catch {
    return requestMetaFromHeaders(new Headers());
  }
}

/**
 * Whether the provider vouches for the email. Entra ID sends no email_verified for work accounts; its optional
 * xms_edov claim (the tenant owns the email's domain) stands in, but only when email_verified is absent.
 */
function emailVerified(profile: unknown): boolean {
  const claims = (profile ?? {}) as { email_verified?: unknown; xms_edov?: unknown };
  return claims.email_verified === undefined ? claims.xms_edov === true : claims.email_verified === true;
}

function oidcProvider(): NextAuthOptions['providers'] {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = process.env;
  if (!issuer || !clientId || !clientSecret) return [];
  return [{
    id: 'oidc', name: process.env.OIDC_NAME ?? 'Single sign-on', type: 'oauth',
    wellKnown: `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId, clientSecret, idToken: true, checks: ['pkce', 'state'],
    authorization: { params: { scope: 'openid email profile' } },
    profile: (p: { sub: string; email?: string; name?: string; email_verified?: boolean }) =>
      ({ id: p.sub, email: p.email ?? null, name: p.name ?? p.email ?? p.sub, emailVerified: p.email_verified }),
  }];
}

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: '/signin', error: '/signin' },
  providers: [
    CredentialsProvider({
      id: 'password', name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        if (!credentials?.email || !credentials.password) return null;
        const meta = requestMetaFromHeaders(new Headers(req.headers as Record<string, string>));
        const result = await signInWithPassword(appDb().db, { email: credentials.email, password: credentials.password, meta });
        if (result.ok) return { id: result.actor.userId, email: result.actor.email, name: result.actor.name };
        // next-auth passes this text to the sign-in page as ?error=...
        if (result.reason === 'locked') throw new Error(`Locked:${result.retryAfterSeconds ?? 60}`);
        return null;
      },
    }),
    ...oidcProvider(),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== 'oidc') return true;
      const linked = await linkOidcUser(appDb().db, { subject: String(account.providerAccountId), email: user.email ?? null,
        name: user.name ?? '', emailVerified: emailVerified(profile), meta: await currentRequestMeta() });
      if (!linked) return '/signin?error=OidcNoAccount';
      user.id = linked;
      return true;
    },
    async jwt({ token, user }) {
      if (user) token.uid = user.id;
      return token;
    },
    async session({ session, token }) {
      return { ...session, uid: token.uid };
    },
  },
};
