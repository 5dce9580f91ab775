'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/forms/form-state';
import { serverCaller } from '@/server/caller';
import { explainError, fieldError, runAction, text } from '../../(console)/_lib/run-action';

export async function acceptNewAccountAction(_prev: FormState, form: FormData): Promise<FormState> {
  const password = typeof form.get('password') === 'string' ? String(form.get('password')) : '';
  if (password !== form.get('repeatPassword')) {
    return fieldError('repeatPassword', 'The two passwords differ. Type the same password twice.');
  }
  // No refresh of the page here: it would re-render this link as "already used" before the browser signs in.
  try {
    await (await serverCaller()).invitations.acceptNewAccount({ secret: text(form, 'secret'), name: text(form, 'name'), password });
    return { status: 'ok', message: 'Your account is ready. Signing you in…' };
  } catch (err) {
    return explainError(err);
  }
}

export async function acceptAsMeAction(_prev: FormState, form: FormData): Promise<FormState> {
  let tenantId: string | null = null;
  const state = await runAction(async () => {
    ({ tenantId } = await (await serverCaller()).invitations.accept({ secret: text(form, 'secret') }));
  });
  if (state.status !== 'ok') return state;
  const tenant = (await (await serverCaller()).me.tenants({})).find((t) => t.id === tenantId);
  redirect(tenant ? `/t/${tenant.slug}` : '/');
}
