'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';

export function SignInForm({ error, callbackUrl, oidcName }: { error: string | null; callbackUrl: string; oidcName: string | null }) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="mt-6 space-y-4">
      {error && <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">{error}</p>}
      <form
        method="post"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          const form = new FormData(e.currentTarget);
          await signIn('password', { email: form.get('email'), password: form.get('password'), callbackUrl });
          setBusy(false);
        }}
        className="space-y-4"
      >
        <label className="block text-sm font-medium">Email
          <input name="email" type="email" required autoComplete="username" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <label className="block text-sm font-medium">Password
          <input name="password" type="password" required autoComplete="current-password" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <button type="submit" disabled={busy} className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {oidcName && (
        <button type="button" onClick={() => signIn('oidc', { callbackUrl })} className="w-full rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50">
          Sign in with {oidcName}
        </button>
      )}
    </div>
  );
}
