import { TextField } from '@/components/forms/field';
import { PermissionCheckboxes } from './permission-checkboxes';

/** The fields of a custom role, blank for a new one or filled for an edit. */
export function RoleFields({ role }: { role?: { name: string; description: string; permissions: string[] } }) {
  return (
    <>
      <TextField name="name" label="Name" defaultValue={role?.name} maxLength={60} required placeholder="For example: Shift lead" />
      <TextField name="description" label="Description (optional)" defaultValue={role?.description} maxLength={500} />
      <PermissionCheckboxes selected={role?.permissions} />
    </>
  );
}
