'use client';

import { useState } from 'react';
import { SelectField, TextField } from '@/components/forms/field';
import { CUSTOM_SIZE, SIZE_PRESETS } from './spec';

/** A size preset, or custom memory and CPUs when "Custom" is chosen. Errors land under spec.memory / spec.cpus. */
export function SizeFields({ defaultPreset = 'small', defaultMemory = '', defaultCpus = '' }: { defaultPreset?: string; defaultMemory?: string; defaultCpus?: string }) {
  const [preset, setPreset] = useState(defaultPreset);
  return (
    <>
      <SelectField name="size" label="Size" defaultValue={defaultPreset} onChange={setPreset}
        choices={[...SIZE_PRESETS.map((p) => ({ value: p.value, label: p.label })), { value: CUSTOM_SIZE, label: 'Custom' }]} />
      {preset === CUSTOM_SIZE && (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField name="spec.memory" label="Memory" defaultValue={defaultMemory} placeholder="e.g. 1536MiB or 3GiB" hint="At least 1GiB." />
          <TextField name="spec.cpus" label="CPUs" defaultValue={defaultCpus} inputMode="decimal" placeholder="e.g. 1.5" />
        </div>
      )}
    </>
  );
}
