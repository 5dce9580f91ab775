'use server';

import type { FormState } from '@/components/forms/form-state';
import { serverCaller } from '@/server/caller';
import { requestOrigin } from '../../../_lib/origin';
import { runAction, text } from '../../../_lib/run-action';

export async function createTokenAction(_prev: FormState, form: FormData): Promise<FormState> {
  const tenantId = text(form, 'tenantId');
  const days = Number(text(form, 'expiresInDays'));
  return runAction(async () => {
    const { token, summary } = await (await serverCaller()).tokens.create({
      tenantId, name: text(form, 'name'), role: text(form, 'role'), expiresInDays: days > 0 ? days : undefined,
    });
    return {
      message: `Token "${summary.name}" created.`,
      reveal: {
        label: 'Your new API token', value: token,
        note: 'Copy it now: it is shown only once and stored only as a hash. Keep it in your CI system\'s secret store.',
        example: `curl -H "Authorization: Bearer ${token}" \\\n  ${await requestOrigin()}/api/v1/tenants/${tenantId}/sites`,
      },
    };
  });
}

export async function revokeTokenAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).tokens.revoke({ tenantId: text(form, 'tenantId'), tokenId: text(form, 'tokenId') });
  }, 'Token revoked.');
}
