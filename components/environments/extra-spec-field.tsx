'use client';

import { useId } from 'react';
import { useFormContext } from '@/components/forms/action-form';
import { inputClass } from '@/components/ui/styles';

/** Optional further gateway spec fields as YAML (time zone, health check timing, environment variables...). */
export function ExtraSpecField() {
  const { state, fields } = useFormContext();
  fields.add('extraSpec');
  const id = useId();
  const error = state.fieldErrors?.extraSpec?.[0];
  return (
    <details className="rounded-md border border-slate-200 px-3 py-2" open={Boolean(error)}>
      <summary className="cursor-pointer text-sm font-medium text-slate-700">Advanced: more spec fields</summary>
      <label htmlFor={id} className="mt-3 block text-sm font-medium text-slate-700">Spec fields (YAML)</label>
      <textarea id={id} name="extraSpec" rows={5} aria-invalid={Boolean(error)} className={`${inputClass} font-mono`}
        placeholder={'timezone: Europe/Berlin\nhealthcheck:\n  interval: 5s'} />
      {error ? <p className="mt-1 text-sm text-red-700">{error}</p>
        : <p className="mt-1 text-xs text-slate-500">Any field of the gateway spec (see docs/gateway-contract.md). The fields above win over these.</p>}
    </details>
  );
}
