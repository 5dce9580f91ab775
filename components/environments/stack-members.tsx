'use client';

import { useRef, useState } from 'react';
import { SelectField, TextField } from '@/components/forms/field';
import { buttonClass } from '@/components/ui/styles';
import { SIZE_PRESETS } from './spec';
import { MAX_MEMBERS, SHARED_SIZE } from './stack-spec';

const SIZE_CHOICES = [{ value: SHARED_SIZE, label: 'Same as Size above' }, ...SIZE_PRESETS.map((p) => ({ value: p.value, label: p.label }))];
const FIRST_NAMES = ['frontend', 'backend'];

/**
 * The gateways of a stack: a name and a size each, added and removed in place. Fields are named by position
 * (`gateways.<i>.name`), so the API's `spec.gateways[i]` messages land under the right row; keys stay stable so what
 * was typed follows its row when another is removed.
 */
export function StackMembers() {
  const next = useRef(FIRST_NAMES.length);
  const [rows, setRows] = useState(() => FIRST_NAMES.map((name, key) => ({ key, name })));
  const add = () => setRows((r) => [...r, { key: next.current++, name: '' }]);
  const remove = (key: number) => setRows((r) => r.filter((row) => row.key !== key));
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 px-3 py-3">
      <legend className="px-1 text-sm font-medium text-slate-700">Gateways of the stack</legend>
      <p className="text-xs text-slate-500">
        Each gateway gets its own host port and data volume; all share the version, edition and advanced fields. Backups and
        deploys go to the first gateway.
      </p>
      <ol className="space-y-3">
        {rows.map((row, i) => (
          <li key={row.key} className="grid items-start gap-3 sm:grid-cols-[1fr_1fr_auto]" data-testid="stack-member">
            <TextField name={`gateways.${i}.name`} label={`Gateway ${i + 1} name`} defaultValue={row.name} maxLength={40}
              placeholder="e.g. frontend" autoComplete="off" />
            <SelectField name={`gateways.${i}.size`} label={`Gateway ${i + 1} size`} defaultValue={SHARED_SIZE} choices={SIZE_CHOICES} />
            <button type="button" className={`${buttonClass.ghostDanger} sm:mt-6`} disabled={rows.length <= 2}
              aria-label={`Remove gateway ${i + 1}`} title={rows.length <= 2 ? 'A stack has at least two gateways' : undefined}
              onClick={() => remove(row.key)}>Remove</button>
          </li>
        ))}
      </ol>
      <button type="button" className={buttonClass.secondary} disabled={rows.length >= MAX_MEMBERS} onClick={add}>Add a gateway</button>
    </fieldset>
  );
}
