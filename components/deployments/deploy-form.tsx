import { ActionForm, type FormAction } from '@/components/forms/action-form';
import { SelectField, TextField, type Choice } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';

export interface DeployableArtifact { id: string; name: string; kind: string; versions: { id: string; number: number; filename: string }[] }

/** One choice per version, newest first within each artifact: "line-hmi v3 (project, line-hmi.zip)". */
export function versionChoices(artifacts: DeployableArtifact[]): Choice[] {
  return artifacts.flatMap((a) => a.versions.map((v) => ({ value: v.id, label: `${a.name} v${v.number} (${a.kind}, ${v.filename})` })));
}

/** Choose a project export, a module or a gateway backup and deploy it: imported, installed and accepted, or restored. */
export function DeployForm({ ids, artifacts, action, running }: { ids: Record<string, string>; artifacts: DeployableArtifact[]; action: FormAction; running: boolean }) {
  const choices = versionChoices(artifacts);
  if (choices.length === 0) {
    return <p className="text-sm text-slate-600">No project exports, modules or backups to deploy yet: upload one in Artifacts, or back the gateway up.</p>;
  }
  return (
    <ActionForm action={action} label="Deploy a version" className="grid max-w-xl gap-4">
      <Hidden values={ids} />
      <SelectField name="versionId" label="Version" choices={choices} hint="Projects are imported (replacing one of the same name); a module is installed and accepted (the gateway is re-created, data kept); a backup restores the whole gateway, which restarts." />
      <TextField name="projectName" label="Project name (optional)" placeholder="the artifact's name" hint="Only for projects: letters, digits, _ and -." />
      <div><SubmitButton disabled={!running}>Deploy</SubmitButton></div>
      {!running && <p className="text-sm text-slate-600">The gateway must be running to deploy.</p>}
    </ActionForm>
  );
}
