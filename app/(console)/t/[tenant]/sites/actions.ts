'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/forms/form-state';
import { serverCaller } from '@/server/caller';
import { fieldError, optionalText, runAction, tenantPath, text } from '../../../_lib/run-action';

const ids = (form: FormData) => ({ tenantId: text(form, 'tenantId'), siteId: text(form, 'siteId') });

export async function createSiteAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    const caller = await serverCaller();
    await caller.sites.create({ tenantId: text(form, 'tenantId'), name: text(form, 'name'), slug: text(form, 'slug'), description: optionalText(form, 'description') });
  }, `Site "${text(form, 'name')}" created.`);
}

export async function updateSiteAction(_prev: FormState, form: FormData): Promise<FormState> {
  let newPath: string | null = null;
  const state = await runAction(async () => {
    const caller = await serverCaller();
    const site = await caller.sites.update({ ...ids(form), name: text(form, 'name'), slug: text(form, 'slug'), description: text(form, 'description') });
    if (site.slug !== text(form, 'oldSlug')) newPath = tenantPath(form, `/sites/${site.slug}`);
  }, 'Saved.');
  // The page's address carries the slug, so a new slug moves the page.
  if (newPath) redirect(newPath);
  return state;
}

export async function deleteSiteAction(_prev: FormState, form: FormData): Promise<FormState> {
  const slug = text(form, 'slug');
  if (text(form, 'confirm') !== slug) {
    return fieldError('confirm', `Type the site's slug, ${slug}, to confirm. The site was not deleted.`);
  }
  const state = await runAction(async () => {
    await (await serverCaller()).sites.delete(ids(form));
  });
  if (state.status === 'ok') redirect(tenantPath(form, '/sites'));
  return state;
}

export async function grantSiteAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).delegation.grant({ ...ids(form), userId: text(form, 'userId'), role: text(form, 'role') });
  }, 'Site delegated.');
}

export async function revokeGrantAction(_prev: FormState, form: FormData): Promise<FormState> {
  return runAction(async () => {
    await (await serverCaller()).delegation.revoke({ ...ids(form), userId: text(form, 'userId') });
  }, 'Access removed.');
}
