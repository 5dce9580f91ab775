'use server';

import type { FormState } from '@/components/forms/form-state';
import { serverCaller } from '@/server/caller';
import { explainError, runAction, text } from '../../../_lib/run-action';

export type DownloadAnswer = { ok: true; path: string } | { ok: false; message: string };

/** A short-lived link to one version (audited by the API); the browser then opens its path. */
export async function downloadLinkAction(tenantId: string, versionId: string): Promise<DownloadAnswer> {
  try {
    const link = await (await serverCaller()).artifacts.downloadLink({ tenantId, versionId, seconds: 60 });
    return { ok: true, path: link.path };
  } catch (err) {
    return { ok: false, message: explainError(err).message ?? 'The download link could not be made.' };
  }
}

export async function deleteVersionAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).artifacts.deleteVersion({
      tenantId: text(form, 'tenantId'), versionId: text(form, 'versionId'),
      force: text(form, 'force') === 'yes' || undefined, reason: text(form, 'reason') || undefined,
    });
  }, 'Version deleted. Its bytes are removed by the next garbage collection unless another version holds them.');
}
