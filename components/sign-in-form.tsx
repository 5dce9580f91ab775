'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { explainSignInError } from '@/components/sign-in-errors';
import { buttonClass, inputClass } from '@/components/ui/styles';

/**
 * Email and password sign-in. It stays on the page when the server says no (keeping the address the person was
 * heading to), and goes there when it says yes.
 */
export function SignInForm({ error, callbackUrl, oidcName }: { error: string | null; callbackUrl: string; oidcName: string | null }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(error);
  return (
    <div className="mt-6 space-y-4">
      {problem && <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">{problem}</p>}
      <form
        method="post"
        aria-label="Sign in"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          const form = new FormData(e.currentTarget);
          const result = await signIn('password', { email: form.get('email'), password: form.get('password'), redirect: false });
          if (result?.ok && !result.error) {
            window.location.assign(callbackUrl);
            return;
          }
          setProblem(explainSignInError(result?.error ?? 'failed'));
          setBusy(false);
        }}
        className="space-y-4"
      >
        <label className="block text-sm font-medium text-slate-700">Email
          <input name="email" type="email" required autoComplete="username" className={inputClass} />
        </label>
        <label className="block text-sm font-medium text-slate-700">Password
          <input name="password" type="password" required autoComplete="current-password" className={inputClass} />
        </label>
        <button type="submit" disabled={busy} className={`${buttonClass.primary} w-full py-2`}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {oidcName && (
        <button type="button" onClick={() => signIn('oidc', { callbackUrl })} className={`${buttonClass.secondary} w-full py-2`}>
          Sign in with {oidcName}
        </button>
      )}
    </div>
  );
}
