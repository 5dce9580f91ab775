import { ActionForm, type FormAction } from '@/components/forms/action-form';
import { TextField } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';

export interface ScheduleValues { everyHours: number; keepLast: number | null; keepDays: number | null; nextRun: string }

/** Back up every N hours and keep the last N and/or N days; remove it with the second form. */
export function ScheduleForm({ ids, schedule, action }: { ids: Record<string, string>; schedule: ScheduleValues | null; action: FormAction }) {
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        {schedule ? `Every ${schedule.everyHours} h; next run ${schedule.nextRun}.` : 'No schedule: backups are taken only when asked.'}
      </p>
      <ActionForm action={action} label="Backup schedule" className="grid max-w-xl gap-4 sm:grid-cols-3" resetOnSuccess={false}>
        <Hidden values={ids} />
        <TextField name="everyHours" label="Every (hours)" type="number" min={1} max={168} defaultValue={schedule?.everyHours ?? 24} />
        <TextField name="keepLast" label="Keep the last" type="number" min={1} max={1000} defaultValue={schedule?.keepLast ?? (schedule ? '' : 7)} hint="backups (blank: no limit)" />
        <TextField name="keepDays" label="Keep for (days)" type="number" min={1} max={3650} defaultValue={schedule?.keepDays ?? ''} hint="blank: no age limit" />
        <div className="sm:col-span-3"><SubmitButton variant="secondary">{schedule ? 'Save schedule' : 'Set schedule'}</SubmitButton></div>
      </ActionForm>
      {schedule && (
        <ActionForm action={action} label="Remove the backup schedule" className="inline">
          <Hidden values={{ ...ids, remove: 'yes' }} />
          <SubmitButton variant="ghostDanger">Remove schedule</SubmitButton>
        </ActionForm>
      )}
    </div>
  );
}
