import { ActionForm, type FormAction } from './action-form';
import { ConfirmSubmit } from './confirm';
import { Hidden } from './hidden';

/** A one-button form for a destructive action on one thing (revoke, remove, delete), asking once more first. */
export function ConfirmAction({ action, label, values, button, question, confirmLabel, inline = true }: {
  action: FormAction; label: string; values: Record<string, string>; button: string; question: string; confirmLabel: string; inline?: boolean;
}) {
  return (
    <ActionForm action={action} label={label} className={inline ? 'inline' : 'space-y-4'}>
      <Hidden values={values} />
      <ConfirmSubmit label={button} question={question} confirmLabel={confirmLabel} />
    </ActionForm>
  );
}
