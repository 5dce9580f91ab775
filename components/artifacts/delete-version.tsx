import { ActionForm, type FormAction } from '@/components/forms/action-form';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { ConfirmSubmit } from '@/components/forms/confirm';
import { TextField } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';

/**
 * Deleting a version asks once more; a version deployed somewhere also needs a reason, and is sent with force
 * (both audited), since environments still record that they ran it.
 */
export function DeleteVersion({ action, tenantId, versionId, number, deployedTo }: {
  action: FormAction; tenantId: string; versionId: string; number: number; deployedTo: string[];
}) {
  const values = { tenantId, versionId };
  if (deployedTo.length === 0) {
    return <ConfirmAction action={action} label={`Delete version ${number}`} values={values} button={`Delete version ${number}`}
      question="Delete this version? It cannot be undone." confirmLabel="Delete version" inline={false} />;
  }
  return (
    <ActionForm action={action} label={`Delete version ${number}`} className="max-w-xl space-y-3">
      <Hidden values={{ ...values, force: 'yes' }} />
      <p className="text-sm text-slate-700">Version {number} is deployed to {deployedTo.join(', ')}. Deleting it also removes that deployment record; say why.</p>
      <TextField name="reason" label="Reason (recorded in the audit log)" maxLength={500} placeholder="Replaced by a fixed build" />
      <ConfirmSubmit label={`Force delete version ${number}`} question="Delete a deployed version?" confirmLabel="Delete version" />
    </ActionForm>
  );
}
