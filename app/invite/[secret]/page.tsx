import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/forms/action-form';
import { SubmitButton } from '@/components/forms/submit-button';
import { NewAccountForm } from '@/components/invite/new-account-form';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { buttonClass, linkClass } from '@/components/ui/styles';
import { PASSWORD_MIN } from '@/server/auth/password';
import { currentActor, serverCaller } from '@/server/caller';
import { explainError } from '../../(console)/_lib/run-action';
import { acceptAsMeAction, acceptNewAccountAction } from './actions';

export const metadata: Metadata = { title: 'Invitation' };

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="mx-auto mt-20 max-w-md px-4">
      <div className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold text-brand-600">Switchyard</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">{title}</h1>
        <div className="mt-4 space-y-4 text-sm text-slate-700">{children}</div>
      </div>
    </main>
  );
}

export default async function InvitePage({ params }: { params: Promise<{ secret: string }> }) {
  const { secret } = await params;
  const caller = await serverCaller();
  let preview;
  try {
    preview = await caller.invitations.preview({ secret });
  } catch (err) {
    return (
      <Card title="This invitation cannot be used">
        <p role="alert">{explainError(err).message}</p>
        <p><Link className={linkClass} href="/signin">Go to sign-in</Link></p>
      </Card>
    );
  }
  const actor = await currentActor();
  const title = `Join ${preview.tenantName}`;
  const intro = <p>You were invited as <strong>{preview.email}</strong>.</p>;

  if (actor?.type === 'user' && actor.email !== preview.email) {
    return (
      <Card title={title}>
        {intro}
        <p role="alert" className="rounded-md bg-amber-50 p-3 text-amber-900">You are signed in as {actor.email}. Sign out, then open this link again to accept it as {preview.email}.</p>
        <SignOutButton callbackUrl={`/invite/${secret}`} className={buttonClass.secondary} />
      </Card>
    );
  }
  if (actor?.type === 'user') {
    return (
      <Card title={title}>
        {intro}
        <ActionForm action={acceptAsMeAction} label="Accept the invitation" resetOnSuccess={false}>
          <input type="hidden" name="secret" value={secret} />
          <SubmitButton>Accept and open {preview.tenantName}</SubmitButton>
        </ActionForm>
      </Card>
    );
  }
  if (preview.hasAccount) {
    return (
      <Card title={title}>
        {intro}
        <p>An account for this email already exists. Sign in first; you will come back here to accept.</p>
        <Link className={buttonClass.primary} href={`/signin?callbackUrl=${encodeURIComponent(`/invite/${secret}`)}`}>Sign in to accept</Link>
      </Card>
    );
  }
  return (
    <Card title={title}>
      {intro}
      <p>Choose your name and a password to create your Switchyard account.</p>
      <NewAccountForm action={acceptNewAccountAction} secret={secret} email={preview.email} passwordHint={`At least ${PASSWORD_MIN} characters.`} />
    </Card>
  );
}
