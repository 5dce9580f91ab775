import type { Metadata } from 'next';
import { SignInForm } from '@/components/sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  CredentialsSignin: 'That email and password do not match an account. Check both and try again.',
  OidcNoAccount: 'Your single sign-on account is not linked to Switchyard yet. Ask a tenant admin for an invitation.',
  SessionRequired: 'Please sign in to continue.',
};

function explain(error: string | undefined): string | null {
  if (!error) return null;
  const locked = /^Locked:(\d+)$/.exec(error);
  if (locked) return `Too many failed sign-ins. Try again in ${Math.ceil(Number(locked[1]) / 60)} minute(s).`;
  return ERRORS[error] ?? 'Sign-in failed. Try again.';
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const { error, callbackUrl } = await searchParams;
  const oidcName = process.env.OIDC_ISSUER ? (process.env.OIDC_NAME ?? 'Single sign-on') : null;
  const safeCallback = callbackUrl && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/';
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-semibold">Sign in to Switchyard</h1>
      <p className="mt-1 text-sm text-slate-500">Ignition gateways for every plant, from one console.</p>
      <SignInForm error={explain(error)} callbackUrl={safeCallback} oidcName={oidcName} />
    </main>
  );
}
