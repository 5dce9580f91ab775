import { ActionForm } from '@/components/forms/action-form';
import { ConfirmByTyping } from '@/components/forms/confirm';
import { TextField } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';
import { NameAndSlugFields } from '@/components/sites/name-and-slug';
import { Section } from '@/components/ui/section';
import type { TenantView } from '../../../../_lib/tenant';
import { deleteSiteAction, updateSiteAction } from '../actions';

interface Props { tenant: TenantView; site: { id: string; slug: string; name: string; description: string } }

export function EditSiteSection({ tenant, site }: Props) {
  return (
    <Section title="Rename" description="Changing the slug changes this page's address.">
      <ActionForm action={updateSiteAction} label="Rename site" resetOnSuccess={false} className="grid max-w-xl gap-4">
        <Hidden values={{ tenantId: tenant.id, siteId: site.id, tenantSlug: tenant.slug, oldSlug: site.slug }} />
        <NameAndSlugFields defaultName={site.name} defaultSlug={site.slug} />
        <TextField name="description" label="Description" defaultValue={site.description} maxLength={500} />
        <div><SubmitButton>Save changes</SubmitButton></div>
      </ActionForm>
    </Section>
  );
}

export function DeleteSiteSection({ tenant, site }: Props) {
  return (
    <Section title="Delete this site" description="Removes the site and everyone's access to it. This cannot be undone.">
      <ActionForm action={deleteSiteAction} label="Delete site" className="max-w-xl">
        <Hidden values={{ tenantId: tenant.id, siteId: site.id, tenantSlug: tenant.slug, slug: site.slug }} />
        <ConfirmByTyping expected={site.slug} label={`Type ${site.slug} to confirm`} submitLabel="Delete site" />
      </ActionForm>
    </Section>
  );
}
