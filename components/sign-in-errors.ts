// next-auth's sign-in error codes in words a person understands; shared by the page (?error=) and the form.
const ERRORS: Record<string, string> = {
  CredentialsSignin: 'That email and password do not match an account. Check both and try again.',
  OidcNoAccount: 'Your single sign-on account is not linked to Switchyard yet. Ask a tenant admin for an invitation.',
  SessionRequired: 'Please sign in to continue.',
};

export function explainSignInError(error: string | null | undefined): string | null {
  if (!error) return null;
  const locked = /^Locked:(\d+)$/.exec(error);
  if (locked) return `Too many failed sign-ins. Try again in ${Math.ceil(Number(locked[1]) / 60)} minute(s).`;
  return ERRORS[error] ?? 'Sign-in failed. Try again.';
}
