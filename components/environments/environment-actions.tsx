import { ActionForm, type FormAction } from '@/components/forms/action-form';
import { ConfirmByTyping } from '@/components/forms/confirm';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';
import { SizeFields } from './size-fields';
import { SIZE_PRESETS, type SpecSummary } from './spec';

const OPERATIONS = [
  { operation: 'start', label: 'Start' }, { operation: 'stop', label: 'Stop' },
  { operation: 'restart', label: 'Restart' }, { operation: 'backup', label: 'Back up' },
] as const;

export interface EnvironmentActionsProps {
  ids: Record<string, string>; name: string; spec: SpecSummary;
  can: { operate: boolean; provision: boolean; remove: boolean };
  actions: { operate: FormAction; resize: FormAction; teardown: FormAction };
}

function Subsection({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="border-t border-slate-200 pt-4 first:border-t-0 first:pt-0">
      <h3 className="mb-3 text-sm font-semibold text-slate-900">{title}</h3>
      {children}
    </div>
  );
}

/** Only what the person may do on this site: operate, resize (provision), tear down (delete). */
export function EnvironmentActions({ ids, name, spec, can, actions }: EnvironmentActionsProps) {
  const preset = SIZE_PRESETS.find((p) => p.memory === spec.memory && p.cpus === spec.cpus)?.value ?? 'custom';
  return (
    <div className="space-y-6">
      {can.operate && (
        <Subsection title="Run">
          <div className="flex flex-wrap gap-2">
            {OPERATIONS.map((o) => (
              <ActionForm key={o.operation} action={actions.operate} label={`${o.label} ${name}`} className="inline">
                <Hidden values={{ ...ids, operation: o.operation }} />
                <SubmitButton variant="secondary">{o.label}</SubmitButton>
              </ActionForm>
            ))}
          </div>
        </Subsection>
      )}
      {can.provision && (
        <Subsection title="Change size">
          <ActionForm action={actions.resize} label="Change size" className="grid max-w-xl gap-4" resetOnSuccess={false}>
            <Hidden values={ids} />
            {spec.members.length > 0 && <p className="text-sm text-slate-600">The size applies to each of the {spec.members.length} gateways of the stack.</p>}
            <SizeFields defaultPreset={preset} defaultMemory={spec.memory} defaultCpus={String(spec.cpus)} />
            <div><SubmitButton variant="secondary">Apply size</SubmitButton></div>
          </ActionForm>
        </Subsection>
      )}
      {can.remove && (
        <Subsection title="Tear down">
          <ActionForm action={actions.teardown} label="Tear down" className="max-w-xl space-y-3">
            <Hidden values={ids} />
            <p className="text-sm text-slate-600">{spec.members.length > 0 ? `Removes the ${spec.members.length} gateways and releases their ports.` : 'Removes the gateway and releases its port.'} Its job history stays.</p>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name="keepData" value="yes" defaultChecked className="rounded border-slate-300" />
              Keep the data volume (projects, tags, settings) for a later gateway
            </label>
            <ConfirmByTyping expected={name} label={`Type ${name} to confirm`} submitLabel="Tear down" />
          </ActionForm>
        </Subsection>
      )}
    </div>
  );
}
