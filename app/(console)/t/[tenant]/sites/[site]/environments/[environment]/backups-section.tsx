import Link from 'next/link';
import { BackupsTable } from '@/components/deployments/backups-table';
import { ScheduleForm } from '@/components/deployments/schedule-form';
import { ActionForm } from '@/components/forms/action-form';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';
import { Section } from '@/components/ui/section';
import { linkClass } from '@/components/ui/styles';
import { formatBytes } from '@/lib/format/bytes';
import { serverCaller } from '@/server/caller';
import { formatDateTime } from '../../../../../../_lib/format';
import { operateEnvironmentAction } from '../actions';
import { backupScheduleAction } from './deployment-actions';
import type { EnvironmentRef } from '../environment-ref';


const gatewayOf = (metadata: unknown) => {
  const m = (metadata ?? {}) as { gatewayName?: string | null; version?: string; edition?: string | null };
  return [m.gatewayName, m.version && `Ignition ${m.version}`, m.edition].filter(Boolean).join(' · ') || '—';
};

/** The environment's backups in the artifact store, "Back up now" and the schedule with its retention. */
export async function BackupsSection({ environmentRef, tenantSlug, canOperate }: { environmentRef: EnvironmentRef; tenantSlug: string; canOperate: boolean }) {
  const caller = await serverCaller();
  const [list, schedule] = await Promise.all([caller.deployments.backups(environmentRef), caller.deployments.backupSchedule(environmentRef)]);
  const rows = list.versions.map((v) => ({ id: v.id, number: v.number, size: formatBytes(v.sizeBytes), gateway: gatewayOf(v.metadata), by: v.uploadedBy, when: formatDateTime(v.createdAt), deployed: v.deployed }));
  return (
    <Section title="Backups" description={list.artifactId
      ? <>Stored as versions of <Link className={linkClass} href={`/t/${tenantSlug}/artifacts/${list.artifactId}`}>{list.artifactName}</Link>; restore one with Deploy.</>
      : `Stored as versions of the artifact ${list.artifactName}, created by the first backup.`}>
      {canOperate && (
        <div className="mb-6 space-y-6">
          <ActionForm action={operateEnvironmentAction} label="Back up now" className="inline">
            <Hidden values={{ ...environmentRef, operation: 'backup' }} />
            <SubmitButton variant="secondary">Back up now</SubmitButton>
          </ActionForm>
          <ScheduleForm ids={{ ...environmentRef }} action={backupScheduleAction}
            schedule={schedule ? { everyHours: schedule.everyHours, keepLast: schedule.keepLast, keepDays: schedule.keepDays, nextRun: formatDateTime(schedule.nextRunAt) } : null} />
        </div>
      )}
      {!canOperate && schedule && <p className="mb-4 text-sm text-slate-600">Backed up every {schedule.everyHours} h; next run {formatDateTime(schedule.nextRunAt)}.</p>}
      <BackupsTable rows={rows} />
    </Section>
  );
}
