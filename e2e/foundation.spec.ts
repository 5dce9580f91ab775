import { expect, test, type Page } from '@playwright/test';
import { E2E } from './fixtures/env';
import { acceptInvitationWithNewAccount, revealedValue, signInThroughApi, snap } from './fixtures/session';
import { inviteFromMembersPage, type Access } from './fixtures/tenant';

// The foundation end to end: the platform operator opens a tenant, its admin builds sites and invites people,
// a delegated operator sees only their site, delegation takes effect and ends at once, an auditor reads the trail
// and finds no edit control anywhere.
const TENANT = { name: 'Acme Beverages', slug: 'acme-beverages' };
const admin = { email: 'ada.admin@acme.test', name: 'Ada Admin', password: 'ada-admin-password-1' };
const operator = { email: 'otto.operator@acme.test', name: 'Otto Operator', password: 'otto-operator-pass-1' };
const auditor = { email: 'aude.auditor@acme.test', name: 'Aude Auditor', password: 'aude-auditor-pass-1' };
const tenantPath = (p = '') => `/t/${TENANT.slug}${p}`;

async function invite(page: Page, email: string, access: Access): Promise<string> {
  const link = await inviteFromMembersPage(page, TENANT.slug, email, access);
  expect(link).toMatch(new RegExp(`^${E2E.baseUrl}/invite/\\S+$`));
  return link;
}

async function createSite(page: Page, name: string, expectedSlug: string) {
  await page.goto(tenantPath('/sites'));
  const form = page.getByRole('form', { name: 'Create a site' });
  await form.getByLabel('Name').fill(name);
  await expect(form.getByLabel('Slug')).toHaveValue(expectedSlug); // suggested from the name
  await form.getByRole('button', { name: 'Create site' }).click();
  await expect(page.getByRole('table', { name: 'Sites' }).getByRole('link', { name })).toBeVisible();
}

async function siteNames(page: Page): Promise<string[]> {
  await page.goto(tenantPath('/sites'));
  await expect(page.getByRole('heading', { name: 'Sites', level: 1 })).toBeVisible();
  const table = page.getByRole('table', { name: 'Sites' });
  if (!(await table.isVisible())) return [];
  return table.getByRole('link').allTextContents();
}

test('admin builds a tenant, delegates a site to an operator, an auditor reads the trail without edit controls', async ({ browser }) => {
  const platform = await (await browser.newContext()).newPage();
  const adminPage = await (await browser.newContext()).newPage();
  const operatorPage = await (await browser.newContext()).newPage();
  const auditorPage = await (await browser.newContext()).newPage();
  let operatorLink = '';

  await test.step('the platform operator creates the tenant and invites its admin', async () => {
    await signInThroughApi(platform.context(), E2E.operator.email, E2E.operator.password);
    await platform.goto('/platform');
    const form = platform.getByRole('form', { name: 'Create a tenant' });
    await form.getByLabel('Name').fill(TENANT.name);
    await expect(form.getByLabel('Slug')).toHaveValue(TENANT.slug);
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await expect(platform.getByRole('table', { name: 'Tenants' }).getByRole('link', { name: TENANT.name })).toBeVisible();
    await snap(platform, 'platform');
    const link = await invite(platform, admin.email, { role: 'Admin' });
    await acceptInvitationWithNewAccount(adminPage, link, admin, TENANT.name);
  });

  await test.step('the admin signs in through the sign-in page', async () => {
    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto(tenantPath('/sites'));
    await fresh.waitForURL(/\/signin/);
    await fresh.getByLabel('Email').fill(admin.email);
    await fresh.getByLabel('Password').fill('not-the-password');
    await fresh.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(fresh.getByText('do not match an account')).toBeVisible();
    await snap(fresh, 'signin-error');
    await fresh.getByLabel('Email').fill(admin.email);
    await fresh.getByLabel('Password').fill(admin.password);
    await fresh.getByRole('button', { name: 'Sign in', exact: true }).click();
    await fresh.waitForURL(`**${tenantPath('/sites')}`);
    await expect(fresh.getByTestId('signed-in-as')).toContainText(admin.email);
    await fresh.context().close();
  });

  await test.step('a bad slug is refused with a message under the field, and nothing is created', async () => {
    await adminPage.goto(tenantPath());
    await expect(adminPage.getByRole('link', { name: 'Create your first site' })).toBeVisible();
    await snap(adminPage, 'overview-empty');
    await adminPage.goto(tenantPath('/sites'));
    await expect(adminPage.getByText('No sites yet')).toBeVisible();
    const form = adminPage.getByRole('form', { name: 'Create a site' });
    await form.getByLabel('Name').fill('West');
    await form.getByLabel('Slug').fill('-west-');
    await form.getByRole('button', { name: 'Create site' }).click();
    await expect(form.getByText('Slug must be 2 to 40 characters')).toBeVisible();
    await expect(form.getByLabel('Name')).toHaveValue('West'); // what was typed stays
    await expect(adminPage.getByText('No sites yet')).toBeVisible();
    await snap(adminPage, 'sites-empty-with-error');

    await adminPage.goto(tenantPath('/members'));
    const inviteForm = adminPage.getByRole('form', { name: 'Invite someone' });
    await inviteForm.getByLabel('Email').fill('not-an-email');
    await inviteForm.getByRole('button', { name: 'Create invitation' }).click();
    await expect(inviteForm.getByText('Enter a valid email address')).toBeVisible();
    await expect(adminPage.getByTestId('one-time-value')).toHaveCount(0);
  });

  await test.step('the admin creates two sites and invites an operator to one of them', async () => {
    await createSite(adminPage, 'North Plant', 'north-plant');
    await createSite(adminPage, 'South Plant', 'south-plant');
    await snap(adminPage, 'sites');
    operatorLink = await invite(adminPage, operator.email, { site: 'North Plant', siteRole: 'Operator' });
    await snap(adminPage, 'members-invited');
    await acceptInvitationWithNewAccount(operatorPage, operatorLink, operator, TENANT.name);
  });

  await test.step('a used, revoked or made-up invitation link says why it cannot be used', async () => {
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto(operatorLink);
    await expect(stranger.getByText('This invitation has already been used')).toBeVisible();
    await stranger.goto('/invite/syi_this-link-was-never-issued');
    await expect(stranger.getByText('This invitation link is not valid')).toBeVisible();

    const withdrawn = await invite(adminPage, 'nobody@acme.test', { role: 'Member' });
    const revoke = adminPage.getByRole('form', { name: 'Withdraw the invitation for nobody@acme.test' });
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await revoke.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect(revoke).toHaveCount(0);
    await stranger.goto(withdrawn);
    await expect(stranger.getByText('This invitation was withdrawn')).toBeVisible();
    await snap(stranger, 'invite-withdrawn');
    await stranger.context().close();
  });

  await test.step('the operator sees only the delegated site', async () => {
    expect(await siteNames(operatorPage)).toEqual(['North Plant']);
    await snap(operatorPage, 'operator-sites');
    const nav = operatorPage.getByRole('navigation', { name: 'Tenant' });
    await expect(nav.getByRole('link', { name: 'Sites' })).toBeVisible();
    for (const hidden of ['Members', 'Roles', 'API tokens', 'Audit log']) await expect(nav.getByRole('link', { name: hidden })).toHaveCount(0);
    await expect(operatorPage.getByRole('form', { name: 'Create a site' })).toHaveCount(0);
    await operatorPage.goto(tenantPath('/sites/south-plant'));
    await expect(operatorPage.getByRole('heading', { name: 'Nothing here for you' })).toBeVisible();
    await snap(operatorPage, 'not-found');
    await operatorPage.goto('/t/some-other-tenant');
    await expect(operatorPage.getByRole('heading', { name: 'Nothing here for you' })).toBeVisible();
  });

  await test.step('delegating the second site shows it to the operator; revoking hides it again at once', async () => {
    await adminPage.goto(tenantPath('/sites/south-plant'));
    const form = adminPage.getByRole('form', { name: 'Delegate this site' });
    await form.getByLabel('Member').selectOption({ label: `${operator.name} (${operator.email})` });
    await form.getByLabel('Site role').selectOption({ label: 'Viewer' });
    await form.getByRole('button', { name: 'Delegate' }).click();
    const grants = adminPage.getByRole('table', { name: 'Site grants' });
    await expect(grants.getByRole('row', { name: new RegExp(operator.email) })).toContainText('Viewer');
    expect(await siteNames(operatorPage)).toEqual(['North Plant', 'South Plant']);
    await snap(adminPage, 'site-delegated');

    const revoke = adminPage.getByRole('form', { name: `Remove ${operator.email} from the site` });
    await revoke.getByRole('button', { name: 'Remove access' }).click();
    await revoke.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(adminPage.getByText('Nobody is delegated to this site')).toBeVisible();
    expect(await siteNames(operatorPage)).toEqual(['North Plant']);
  });

  await test.step('the admin composes a custom role and creates an API token shown once', async () => {
    await adminPage.goto(tenantPath('/roles'));
    const roleForm = adminPage.getByRole('form', { name: 'Create a custom role' });
    await roleForm.getByLabel('Name', { exact: true }).fill('Shift lead');
    await roleForm.getByRole('button', { name: 'Create role' }).click();
    await expect(roleForm.getByText('Choose at least one permission')).toBeVisible();
    await roleForm.getByLabel(/^See sites/).check();
    await roleForm.getByLabel(/^Read the audit trail/).check();
    await roleForm.getByRole('button', { name: 'Create role' }).click();
    await expect(adminPage.getByRole('table', { name: 'Custom roles' }).getByRole('row', { name: /Shift lead/ })).toContainText('2');
    await snap(adminPage, 'roles');

    await adminPage.goto(tenantPath('/tokens'));
    const tokenForm = adminPage.getByRole('form', { name: 'Create a token' });
    await tokenForm.getByLabel('Name').fill('CI deploy');
    await tokenForm.getByLabel('Role').selectOption({ label: 'Shift lead (custom)' });
    await tokenForm.getByRole('button', { name: 'Create token' }).click();
    const token = await revealedValue(adminPage);
    expect(token).toMatch(/^sy/);
    await expect(tokenForm.getByText(`Authorization: Bearer ${token}`)).toBeVisible();
    const row = adminPage.getByRole('table', { name: 'API tokens' }).getByRole('row', { name: /CI deploy/ });
    await expect(row).toContainText('Shift lead');
    await expect(row).toContainText('active');
    await snap(adminPage, 'tokens');
    await adminPage.reload();
    await expect(adminPage.getByTestId('one-time-value')).toHaveCount(0); // shown once only
  });

  await test.step('a person with an account signs in first, accepts, and switches between tenants', async () => {
    await platform.goto('/platform');
    const form = platform.getByRole('form', { name: 'Create a tenant' });
    await form.getByLabel('Name').fill('Beta Works');
    await form.getByRole('button', { name: 'Create tenant' }).click();
    await expect(platform.getByRole('table', { name: 'Tenants' }).getByRole('link', { name: 'Beta Works' })).toBeVisible();
    await platform.goto('/t/beta-works/members');
    const inviteForm = platform.getByRole('form', { name: 'Invite someone' });
    await inviteForm.getByLabel('Email').fill(admin.email);
    await inviteForm.getByRole('button', { name: 'Create invitation' }).click();
    const link = await revealedValue(platform);

    const signedOut = await (await browser.newContext()).newPage();
    await signedOut.goto(link);
    await expect(signedOut.getByRole('link', { name: 'Sign in to accept' })).toBeVisible();
    await signedOut.context().close();

    await adminPage.goto(link);
    await adminPage.getByRole('button', { name: 'Accept and open Beta Works' }).click();
    await adminPage.waitForURL('**/t/beta-works');
    const switcher = adminPage.getByRole('combobox', { name: 'Tenant' });
    await expect(switcher).toHaveValue('beta-works');
    await switcher.selectOption({ label: TENANT.name });
    await adminPage.waitForURL(`**${tenantPath()}`);
    await expect(adminPage.getByRole('heading', { name: TENANT.name, level: 1 })).toBeVisible();
  });

  await test.step('an auditor reads the audit log with the earlier actions and finds no edit controls', async () => {
    const link = await invite(adminPage, auditor.email, { role: 'Auditor' });
    await acceptInvitationWithNewAccount(auditorPage, link, auditor, TENANT.name);

    await auditorPage.getByRole('navigation', { name: 'Tenant' }).getByRole('link', { name: 'Audit log' }).click();
    await expect(auditorPage.getByTestId('chain-status')).toContainText('Chain verified');
    await snap(auditorPage, 'audit');
    const entries = auditorPage.getByRole('table', { name: 'Audit entries' });
    for (const action of ['site.create', 'invitation.create', 'invitation.accept', 'site.grant', 'site.revoke']) {
      await expect(entries.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
    }
    await expect(entries.getByRole('row', { name: /site\.revoke/ }).first()).toContainText(admin.email);
    await expect(auditorPage.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', /\/api\/v1\/tenants\/[0-9a-f-]{36}\/audit\/export\?format=csv/);

    // A filter narrows the table and lives in the address.
    const filters = auditorPage.getByRole('form', { name: 'Filter the audit log' });
    await filters.getByLabel('Action').fill('site.grant');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await auditorPage.waitForURL(/action=site\.grant/);
    await expect(entries.getByRole('cell', { name: 'site.create', exact: true })).toHaveCount(0);
    await expect(entries.getByRole('cell', { name: 'site.grant', exact: true })).toHaveCount(1);
    // The export links carry the same filters, and the browser's session downloads them.
    const exportHref = await auditorPage.getByRole('link', { name: 'Export JSON Lines' }).getAttribute('href');
    expect(exportHref).toContain('action=site.grant');
    const download = await auditorPage.context().request.get(exportHref!);
    expect(download.status()).toBe(200);
    const lines = (await download.text()).trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    expect(lines.map((l) => l.action)).toEqual(['site.grant']);

    expect(await siteNames(auditorPage)).toEqual(['North Plant', 'South Plant']);
    await expect(auditorPage.getByRole('form')).toHaveCount(0);
    await auditorPage.goto(tenantPath('/sites/north-plant'));
    await expect(auditorPage.getByRole('table', { name: 'Site grants' })).toContainText(operator.email);
    await expect(auditorPage.getByRole('form')).toHaveCount(0);
    await expect(auditorPage.getByRole('button', { name: /delete|remove|delegate|save/i })).toHaveCount(0);
    await auditorPage.goto(tenantPath('/members'));
    await expect(auditorPage.getByRole('table', { name: 'Members' })).toContainText(operator.email);
    await expect(auditorPage.getByRole('form')).toHaveCount(0);
    await expect(auditorPage.getByRole('button', { name: /invite|remove|save|revoke/i })).toHaveCount(0);
    await auditorPage.goto(tenantPath('/roles'));
    await expect(auditorPage.getByRole('heading', { name: 'Custom roles' })).toBeVisible();
    await expect(auditorPage.getByRole('form')).toHaveCount(0);
    await expect(auditorPage.getByRole('button', { name: /create|delete/i })).toHaveCount(0);
  });

  await test.step('the admin edits and deletes a role once nothing holds it, renames and deletes a site', async () => {
    await adminPage.goto(tenantPath('/roles'));
    await adminPage.getByRole('link', { name: 'Shift lead' }).click();
    const edit = adminPage.getByRole('form', { name: 'Edit role' });
    await edit.getByLabel(/^See members/).check();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(edit.getByRole('status')).toHaveText('Saved.');
    const remove = adminPage.getByRole('form', { name: 'Delete role' });
    await remove.getByRole('button', { name: 'Delete role' }).click();
    await remove.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(remove.getByText('still assigned')).toBeVisible(); // the token holds it

    await adminPage.goto(tenantPath('/tokens'));
    const revoke = adminPage.getByRole('form', { name: 'Revoke CI deploy' });
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await revoke.getByRole('button', { name: 'Revoke token' }).click();
    await expect(adminPage.getByRole('table', { name: 'API tokens' }).getByRole('row', { name: /CI deploy/ })).toContainText('revoked');
    await adminPage.goto(tenantPath('/roles'));
    await adminPage.getByRole('link', { name: 'Shift lead' }).click();
    await adminPage.getByRole('button', { name: 'Delete role' }).click();
    await adminPage.getByRole('button', { name: 'Delete', exact: true }).click();
    await adminPage.waitForURL(`**${tenantPath('/roles')}`);
    await expect(adminPage.getByText('No custom roles')).toBeVisible();

    await adminPage.goto(tenantPath('/sites/south-plant'));
    const rename = adminPage.getByRole('form', { name: 'Rename site' });
    await rename.getByLabel('Name').fill('South Works');
    await rename.getByLabel('Slug').fill('south-works');
    await rename.getByRole('button', { name: 'Save changes' }).click();
    await adminPage.waitForURL(`**${tenantPath('/sites/south-works')}`);
    await expect(adminPage.getByRole('heading', { name: 'South Works', level: 1 })).toBeVisible();
    const del = adminPage.getByRole('form', { name: 'Delete site' });
    await del.getByLabel('Type south-works to confirm').fill('south');
    await expect(del.getByRole('button', { name: 'Delete site' })).toBeDisabled();
    await del.getByLabel('Type south-works to confirm').fill('south-works');
    await del.getByRole('button', { name: 'Delete site' }).click();
    await adminPage.waitForURL(`**${tenantPath('/sites')}`);
    expect(await siteNames(adminPage)).toEqual(['North Plant']);
  });
});
