'use client';

import { useId } from 'react';
import { inputClass } from '@/components/ui/styles';
import { useFormContext } from './action-form';

/** The label, the control and the API's message about it. Registers its name so the form knows it is shown. */
function useField(name: string) {
  const { state, fields } = useFormContext();
  fields.add(name);
  const error = state.fieldErrors?.[name]?.[0];
  const id = useId();
  return { id, error, errorId: `${id}-error` };
}

function FieldFrame({ id, label, hint, error, errorId, children, hideLabel = false }: {
  id: string; label: string; hint?: string; error?: string; errorId: string; children: React.ReactNode; hideLabel?: boolean;
}) {
  return (
    <div>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'block text-sm font-medium text-slate-700'}>{label}</label>
      {children}
      {error ? <p id={errorId} className="mt-1 text-sm text-red-700">{error}</p>
        : hint && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
    </div>
  );
}

type InputProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'>;

export function TextField({ name, label, hint, ...input }: { name: string; label: string; hint?: string } & InputProps) {
  const f = useField(name);
  return (
    <FieldFrame {...f} label={label} hint={hint}>
      <input id={f.id} name={name} aria-invalid={Boolean(f.error)} aria-describedby={f.error ? f.errorId : undefined} className={inputClass} {...input} />
    </FieldFrame>
  );
}

export interface Choice { value: string; label: string }

export function SelectField({ name, label, hint, choices, defaultValue, onChange, hideLabel }: {
  name: string; label: string; hint?: string; choices: Choice[]; defaultValue?: string; onChange?: (value: string) => void; hideLabel?: boolean;
}) {
  const f = useField(name);
  return (
    <FieldFrame {...f} label={label} hint={hint} hideLabel={hideLabel}>
      <select id={f.id} name={name} defaultValue={defaultValue} aria-invalid={Boolean(f.error)}
        aria-describedby={f.error ? f.errorId : undefined} className={inputClass} onChange={(e) => onChange?.(e.target.value)}>
        {choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
      </select>
    </FieldFrame>
  );
}
