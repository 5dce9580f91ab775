'use server';

import { parse as parseYaml } from 'yaml';
import { parseExtraSpec, resizeSpec, sizeFromForm, spreadSpecErrors, type STAGES } from '@/components/environments/spec';
import { memberEntries, stackSpec } from '@/components/environments/stack-spec';
import type { FormState } from '@/components/forms/form-state';
import { serverCaller } from '@/server/caller';
import { fieldError, runAction, text } from '../../../../../_lib/run-action';
import { environmentRefOf, siteIdsOf } from './environment-ref';

const size = (form: FormData) => sizeFromForm(text(form, 'size'), text(form, 'spec.memory'), text(form, 'spec.cpus'));

const withSpecErrors = (state: FormState): FormState => ({ ...state, fieldErrors: spreadSpecErrors(state.fieldErrors) });

export async function requestEnvironmentAction(_prev: FormState, form: FormData): Promise<FormState> {
  // The API would take the gateway without the EULA and it would never start: refuse here, next to the checkbox.
  if (form.get('spec.acceptEula') !== 'yes') return fieldError('spec.acceptEula', 'Accept the Ignition EULA to request a gateway.');
  const extra = parseExtraSpec(text(form, 'extraSpec'), parseYaml);
  if ('error' in extra) return fieldError('extraSpec', extra.error);
  const name = text(form, 'name');
  const apiToken = text(form, 'apiToken');
  const gateway = { ...extra.fields, version: text(form, 'spec.version'), edition: text(form, 'spec.edition'), acceptEula: true, ...size(form) };
  // A stack's members are checked by the API like any spec: its messages name the member (see spreadSpecErrors).
  const members = text(form, 'shape') === 'stack' ? memberEntries(form) : null;
  if (members && members.length === 0) return fieldError('shape', 'A stack needs gateways: add at least one, or choose "One gateway".');
  return withSpecErrors(await runAction(async () => {
    const { adminPassword } = await (await serverCaller()).environments.create({
      ...siteIdsOf(form), name, stage: text(form, 'stage') as (typeof STAGES)[number], ...(apiToken ? { apiToken } : {}),
      spec: members ? stackSpec(members, gateway) : gateway,
    });
    return { reveal: { label: `Admin password for ${name}`, value: adminPassword, note: 'It is shown only once: copy it now. Sign in to the gateway as admin with it.' } };
  }, `Environment "${name}" requested. Its provisioning job is queued.`));
}

const OPERATIONS = {
  start: 'Start queued.', stop: 'Stop queued.', restart: 'Restart queued.', backup: 'Backup queued.',
} as const;

export async function operateEnvironmentAction(_prev: FormState, form: FormData): Promise<FormState> {
  const operation = text(form, 'operation');
  if (!(operation in OPERATIONS)) return { status: 'error', message: `"${operation}" is not an operation; use start, stop, restart or backup.` };
  const op = operation as keyof typeof OPERATIONS;
  return runAction(async () => {
    await (await serverCaller()).environments[op](environmentRefOf(form));
  }, OPERATIONS[op]);
}

export async function resizeEnvironmentAction(_prev: FormState, form: FormData): Promise<FormState> {
  return withSpecErrors(await runAction(async () => {
    const caller = await serverCaller();
    const current = await caller.environments.get(environmentRefOf(form));
    const spec = resizeSpec(current.spec, size(form));
    await caller.environments.update({ ...environmentRefOf(form), spec });
  }, 'Size change queued: the gateway is re-created with its data kept.'));
}

export async function teardownEnvironmentAction(_prev: FormState, form: FormData): Promise<FormState> {
  // The page stays: the teardown job's steps show there, and a torn-down environment's history stays readable.
  return runAction(async () => {
    await (await serverCaller()).environments.delete({ ...environmentRefOf(form), confirm: text(form, 'confirm'), keepData: form.get('keepData') === 'yes' });
  }, 'Teardown queued.');
}
