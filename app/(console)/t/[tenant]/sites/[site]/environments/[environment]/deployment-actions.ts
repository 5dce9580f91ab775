'use server';

import type { FormState } from '@/components/forms/form-state';
import { serverCaller } from '@/server/caller';
import { fieldError, optionalText, runAction, text } from '../../../../../../_lib/run-action';
import { environmentRefOf } from '../environment-ref';


export async function deployAction(_prev: FormState, form: FormData): Promise<FormState> {
  const versionId = text(form, 'versionId');
  if (!versionId) return fieldError('versionId', 'Choose a version to deploy.');
  return runAction(async () => {
    await (await serverCaller()).deployments.deploy({ ...environmentRefOf(form), versionId, projectName: optionalText(form, 'projectName') });
  }, 'Deploy queued: its steps show in the latest job.');
}

/** A number field: undefined when blank (keep*: null, "no limit"), else the number as typed for the API to check. */
function numberField(form: FormData, name: string): number | undefined {
  const value = text(form, name);
  return value === '' ? undefined : Number(value);
}

export async function backupScheduleAction(_prev: FormState, form: FormData): Promise<FormState> {
  if (form.get('remove') === 'yes') {
    return runAction(async () => { await (await serverCaller()).deployments.setBackupSchedule({ ...environmentRefOf(form), remove: true }); }, 'Backup schedule removed; stored backups stay.');
  }
  for (const name of ['everyHours', 'keepLast', 'keepDays']) {
    const n = numberField(form, name);
    if (n !== undefined && !Number.isInteger(n)) return fieldError(name, 'Enter a whole number.');
  }
  return runAction(async () => {
    await (await serverCaller()).deployments.setBackupSchedule({
      ...environmentRefOf(form), everyHours: numberField(form, 'everyHours'), keepLast: numberField(form, 'keepLast') ?? null, keepDays: numberField(form, 'keepDays') ?? null,
    });
  }, 'Backup schedule saved.');
}
