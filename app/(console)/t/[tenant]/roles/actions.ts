'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/forms/form-state';
import { isPermission, type Permission } from '@/lib/access/permissions';
import { serverCaller } from '@/server/caller';
import { runAction, tenantPath, text } from '../../../_lib/run-action';

function roleFields(form: FormData) {
  const permissions = form.getAll('permissions').filter((v): v is Permission => typeof v === 'string' && isPermission(v));
  return { tenantId: text(form, 'tenantId'), name: text(form, 'name'), description: text(form, 'description'), permissions };
}

export async function createRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).roles.create(roleFields(form));
  }, `Role "${text(form, 'name')}" created.`);
}

export async function updateRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).roles.update({ ...roleFields(form), roleId: text(form, 'roleId') });
  }, 'Saved.');
}

export async function deleteRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const state = await runAction(async () => {
    await (await serverCaller()).roles.delete({ tenantId: text(form, 'tenantId'), roleId: text(form, 'roleId') });
  });
  if (state.status === 'ok') redirect(tenantPath(form, '/roles'));
  return state;
}
