'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ActionForm, useFormContext, type FormAction } from '@/components/forms/action-form';
import { SelectField, TextField } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';
import { OneTimeSecret } from '@/components/forms/one-time-secret';
import { SubmitButton } from '@/components/forms/submit-button';
import { buttonClass } from '@/components/ui/styles';
import { ExtraSpecField } from './extra-spec-field';
import { SizeFields } from './size-fields';
import { StackMembers } from './stack-members';
import { DEFAULT_VERSION, EDITIONS, STAGES } from './spec';

function EulaCheckbox() {
  const { state, fields } = useFormContext();
  fields.add('spec.acceptEula');
  const error = state.fieldErrors?.['spec.acceptEula']?.[0];
  return (
    <div>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" name="spec.acceptEula" value="yes" aria-invalid={Boolean(error)} className="mt-0.5 rounded border-slate-300" />
        <span>I accept the Ignition end-user licence agreement for this gateway.</span>
      </label>
      {error && <p className="mt-1 text-sm text-red-700">{error}</p>}
    </div>
  );
}

const SHAPES = [{ value: 'single', label: 'One gateway' }, { value: 'stack', label: 'A stack of several gateways' }] as const;

/** The request form; after success, the admin password (shown once) and a link to the new environment. */
export function RequestEnvironmentForm({ action, ids, environmentsPath }: {
  action: FormAction; ids: Record<string, string>; environmentsPath: string;
}) {
  const [created, setCreated] = useState<string | null>(null);
  const [shape, setShape] = useState<string>(SHAPES[0].value);
  return (
    <ActionForm action={action} label="Request an environment" className="grid max-w-xl gap-4"
      onSuccess={(submitted) => setCreated(String(submitted.get('name') ?? '').trim())}>
      <Hidden values={ids} />
      <TextField name="name" label="Name" required maxLength={32} placeholder="e.g. line-2-dev" autoComplete="off"
        hint="2-32 lowercase letters, digits and dashes, starting with a letter." />
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField name="stage" label="Stage" defaultValue="dev" choices={STAGES.map((s) => ({ value: s, label: s }))} />
        <TextField name="spec.version" label="Ignition version" defaultValue={DEFAULT_VERSION} placeholder="8.3.4" />
        <SelectField name="spec.edition" label="Edition" defaultValue="standard" choices={EDITIONS.map((e) => ({ value: e, label: e }))} />
      </div>
      <SelectField name="shape" label="Gateways" defaultValue={shape} onChange={setShape} choices={[...SHAPES]}
        hint={shape === 'stack' ? 'Several gateways in one environment, started, stopped, sized and torn down together.' : undefined} />
      {shape === 'stack' && <StackMembers />}
      <SizeFields />
      <ExtraSpecField />
      <TextField name="apiToken" label="Gateway API token (optional)" type="password" autoComplete="off" minLength={8} maxLength={512}
        hint="The token the gateway's REST API accepts (8.3: created under Security > API Keys). Backups and deploys need it (in a stack, the first gateway's); it is sealed and never shown again." />
      <EulaCheckbox />
      <div><SubmitButton>Request environment</SubmitButton></div>
      <OneTimeSecret />
      {created && (
        <p><Link className={buttonClass.secondary} href={`${environmentsPath}/${encodeURIComponent(created)}`}>Open {created}</Link></p>
      )}
    </ActionForm>
  );
}
