'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/forms/form-state';
import { serverCaller } from '@/server/caller';
import { runAction, text } from '../../(console)/_lib/run-action';

export async function acceptNewAccountAction(_prev: FormState, form: FormData): Promise<FormState> {
  const password = typeof form.get('password') === 'string' ? String(form.get('password')) : '';
  if (password !== form.get('repeatPassword')) {
    return { status: 'error', message: 'Please correct the fields marked below.', fieldErrors: { repeatPassword: ['The two passwords differ. Type the same password twice.'] } };
  }
  return runAction(async () => {
    await (await serverCaller()).invitations.acceptNewAccount({ secret: text(form, 'secret'), name: text(form, 'name'), password });
  }, 'Your account is ready. Signing you in…');
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
