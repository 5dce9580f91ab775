'use server';

import type { FormState } from '@/components/forms/form-state';
import { serverCaller } from '@/server/caller';
import { requestOrigin } from '../../../_lib/origin';
import { fieldError, runAction, text } from '../../../_lib/run-action';

const orNull = (v: string) => v || null;

export async function changeRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).members.changeRole({ tenantId: text(form, 'tenantId'), userId: text(form, 'userId'), role: orNull(text(form, 'role')) });
  }, 'Role changed.');
}

export async function removeMemberAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).members.remove({ tenantId: text(form, 'tenantId'), userId: text(form, 'userId') });
  }, 'Member removed.');
}

export async function inviteAction(_prev: FormState, form: FormData): Promise<FormState> {
  const role = orNull(text(form, 'role'));
  // "Site access only" sends no tenant role; a site and its role go along only then.
  const site = role ? { siteId: null, siteRole: null } : { siteId: orNull(text(form, 'siteId')), siteRole: orNull(text(form, 'siteRole')) };
  if (!role && !site.siteId) return fieldError('siteId', 'Pick the site this person will work on.');
  return runAction(async () => {
    const { secret, invitation } = await (await serverCaller()).invitations.create({ tenantId: text(form, 'tenantId'), email: text(form, 'email'), role, ...site });
    return {
      message: `Invitation created for ${invitation.email}.`,
      reveal: {
        label: 'Invitation link', value: `${await requestOrigin()}/invite/${secret}`,
        note: `Send this link to ${invitation.email}. It is shown only once and works until ${invitation.expiresAt.toISOString().slice(0, 10)}.`,
      },
    };
  });
}

export async function revokeInvitationAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).invitations.revoke({ tenantId: text(form, 'tenantId'), invitationId: text(form, 'invitationId') });
  }, 'Invitation withdrawn.');
}
