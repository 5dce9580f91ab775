'use server';

import type { FormState } from '@/components/forms/form-state';
import { serverCaller } from '@/server/caller';
import { runAction, text } from '../_lib/run-action';

export async function createTenantAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).platform.createTenant({ name: text(form, 'name'), slug: text(form, 'slug'), ownerEmail: text(form, 'ownerEmail') });
  }, `Tenant "${text(form, 'name')}" created with ${text(form, 'ownerEmail')} as owner.`);
}
