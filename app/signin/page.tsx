import type { Metadata } from 'next';
import { SignInForm } from '@/components/sign-in-form';
import { explainSignInError } from '@/components/sign-in-errors';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const { error, callbackUrl } = await searchParams;
  const oidcName = process.env.OIDC_ISSUER ? (process.env.OIDC_NAME ?? 'Single sign-on') : null;
  // Only a path on this site: "//host" and "/\\host" would send the person elsewhere after signing in.
  const safeCallback = callbackUrl && /^\/(?![/\\])/.test(callbackUrl) ? callbackUrl : '/';
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-semibold">Sign in to Switchyard</h1>
      <p className="mt-1 text-sm text-slate-500">Ignition gateways for every plant, from one console.</p>
      <SignInForm error={explainSignInError(error)} callbackUrl={safeCallback} oidcName={oidcName} />
    </main>
  );
}
