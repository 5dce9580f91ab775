'use client';

import { signIn } from 'next-auth/react';
import { useCallback } from 'react';
import { ActionForm, type FormAction } from '@/components/forms/action-form';
import { TextField } from '@/components/forms/field';
import { SubmitButton } from '@/components/forms/submit-button';

/** Creates the invited person's account, then signs them in with the password they just chose. */
export function NewAccountForm({ action, secret, email, passwordHint }: { action: FormAction; secret: string; email: string; passwordHint: string }) {
  const signInNow = useCallback((form: FormData) => {
    void signIn('password', { email, password: String(form.get('password') ?? ''), callbackUrl: '/' });
  }, [email]);
  return (
    <ActionForm action={action} label="Create your account" resetOnSuccess={false} onSuccess={signInNow}>
      <input type="hidden" name="secret" value={secret} />
      <TextField name="email" label="Email" value={email} readOnly disabled />
      <TextField name="name" label="Your name" autoComplete="name" required maxLength={100} />
      <TextField name="password" label="Password" type="password" autoComplete="new-password" required hint={passwordHint} />
      <TextField name="repeatPassword" label="Repeat password" type="password" autoComplete="new-password" required />
      <SubmitButton>Create account and join</SubmitButton>
    </ActionForm>
  );
}
