import { expect, test, type Page } from '@playwright/test';
import { docker } from './gateway-sim/docker-cli';
import { removeTenantDockerObjects } from './fixtures/docker-cleanup';
import { GATEWAY_VERSION } from './fixtures/env';
import { revealedValue, snap } from './fixtures/session';
import { createSiteFromSitesPage, invitedPerson, tenantWithAdmin } from './fixtures/tenant';

// Stacks end to end on the gateway simulator: an operator asks the request form for two gateways in one environment,
// is refused (with nothing created) while both carry the same name, then watches the stack reach RUNNING, sees each
// gateway with its own port and healthy container, resizes the whole stack and tears it down.
const TENANT = { name: 'Stack Works', slug: 'stack-works' };
const SITE = { name: 'Plant Two', slug: 'plant-two' };
const ENV = 'plant-2-stack';
const admin = { email: 'sam.admin@stack.test', name: 'Sam Admin', password: 'sam-admin-password-1' };
const operator = { email: 'olga.operator@stack.test', name: 'Olga Operator', password: 'olga-operator-pass-1' };
const sitePath = `/t/${TENANT.slug}/sites/${SITE.slug}`;
const envPath = `${sitePath}/environments/${ENV}`;
// Applied to every gateway of the stack: fast health checks and a quick simulator start.
const FAST_GATEWAY = 'healthcheck:\n  interval: 1s\n  timeout: 1s\n  retries: 3\nenvironment:\n  SIM_STARTUP_DELAY_MS: "100"';

test.setTimeout(180_000);
// The spec counts the tenant's containers: none may be left from an earlier run stopped half-way.
test.beforeAll(async () => {
  await removeTenantDockerObjects(TENANT.slug);
});
test.afterAll(async () => {
  await removeTenantDockerObjects(TENANT.slug); // a safety net: teardown through the product removes them already
});

/** The request form filled for a stack of the given member names, up to (not including) submitting. */
async function fillStackRequest(page: Page, names: string[]) {
  await page.goto(`${sitePath}/environments/new`);
  const form = page.getByRole('form', { name: 'Request an environment' });
  await form.getByLabel('Name', { exact: true }).fill(ENV);
  await form.getByLabel('Ignition version').fill(GATEWAY_VERSION);
  await form.getByLabel('Gateways', { exact: true }).selectOption({ label: 'A stack of several gateways' });
  await expect(form.getByTestId('stack-member')).toHaveCount(2);
  for (let i = 2; i < names.length; i += 1) await form.getByRole('button', { name: 'Add a gateway' }).click();
  for (const [i, name] of names.entries()) await form.getByLabel(`Gateway ${i + 1} name`).fill(name);
  await form.getByLabel('Size', { exact: true }).selectOption({ label: 'Small: 1 GiB, 1 CPU' });
  await form.getByText('Advanced: more spec fields').click();
  await form.getByLabel('Spec fields (YAML)').fill(FAST_GATEWAY);
  await form.getByLabel(/I accept the Ignition/).check();
  return form;
}

/** The containers Docker holds for the tenant, by name. */
async function tenantContainers(): Promise<string[]> {
  const out = await docker(['ps', '-a', '--filter', `label=io.switchyard.tenant=${TENANT.slug}`, '--format', '{{.Names}}']);
  return out.split('\n').map((s) => s.trim()).filter(Boolean);
}

test('an operator requests a stack of two gateways, sees each one healthy on its own port, resizes it and tears it down', async ({ browser }) => {
  let page!: Page;
  const ports: number[] = []; // each gateway's host port, as its row on the environment page links it

  await test.step('a tenant admin makes a site with an operator', async () => {
    const adminPage = await tenantWithAdmin(browser, TENANT, admin);
    await createSiteFromSitesPage(adminPage, TENANT.slug, SITE.name);
    page = await invitedPerson(browser, adminPage, TENANT, operator, { site: SITE.name, siteRole: 'Operator' });
    await adminPage.context().close();
  });

  await test.step('two gateways of the same name are refused under the second, and nothing is created', async () => {
    const form = await fillStackRequest(page, ['scada', 'scada']);
    await form.getByRole('button', { name: 'Request environment' }).click();
    const second = form.getByLabel('Gateway 2 name');
    await expect(form.getByText('gateway 2: "scada" is used by another member of this stack; names must be unique')).toBeVisible();
    await expect(second).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('Gateway 1 name')).toHaveAttribute('aria-invalid', 'false');
    await expect(second).toHaveValue('scada'); // what was typed stays
    await expect(page.getByTestId('one-time-value')).toHaveCount(0);
    // An empty name is named too, by the gateway's place in the list.
    await second.fill('');
    await form.getByRole('button', { name: 'Request environment' }).click();
    await expect(form.getByText('gateway 2: a name is required')).toBeVisible();
    await snap(page, 'stack-request-errors');
    await page.goto(sitePath);
    await expect(page.getByText('No environments yet')).toBeVisible();
    expect(await tenantContainers()).toEqual([]);
  });

  await test.step('a third gateway can be added and removed again; the stack of two is requested', async () => {
    const form = await fillStackRequest(page, ['frontend', 'backend', 'spare']);
    await expect(form.getByTestId('stack-member')).toHaveCount(3);
    await form.getByRole('button', { name: 'Remove gateway 3' }).click();
    await expect(form.getByTestId('stack-member')).toHaveCount(2);
    // Two is the least a stack holds: neither may go.
    await expect(form.getByRole('button', { name: 'Remove gateway 1' })).toBeDisabled();
    await form.getByLabel('Gateway 2 size').selectOption({ label: 'Medium: 2 GiB, 2 CPU' });
    await form.getByRole('button', { name: 'Request environment' }).click();
    await expect(form.getByText('It is shown only once')).toBeVisible();
    expect((await revealedValue(page)).length).toBeGreaterThanOrEqual(12);
    await form.getByRole('link', { name: `Open ${ENV}` }).click();
    await page.waitForURL(`**${envPath}`);
  });

  await test.step('the stack reaches RUNNING: both gateways healthy, each on its own port, answering there', async () => {
    await expect(page.getByTestId('environment-status')).toHaveText('running', { timeout: 90_000 });
    await expect(page.getByTestId('stack-summary')).toHaveText(' · a stack of 2: frontend, backend');
    const table = page.getByRole('table', { name: 'Gateways' });
    await expect(table.getByRole('row')).toHaveCount(3); // header + 2 gateways
    for (const [name, size] of [['frontend', '1GiB · 1 CPU'], ['backend', '2GiB · 2 CPU']] as const) {
      const row = page.getByTestId(`gateway-${name}`);
      await expect(row.getByTestId('gateway-state')).toHaveText('running');
      await expect(row.getByTestId('gateway-health')).toHaveText('healthy', { timeout: 30_000 });
      await expect(row).toContainText(size);
      const link = row.getByRole('link', { name: /^http:\/\/127\.0\.0\.1:\d+$/ });
      const address = (await link.textContent())!;
      ports.push(Number(new URL(address).port));
      const ping = await page.request.get(`${address}/StatusPing`);
      expect(await ping.json()).toEqual({ state: 'RUNNING' });
    }
    expect(new Set(ports).size).toBe(2);
    await expect(page.getByTestId('gateway-frontend')).toContainText('backups and deploys');
    expect((await tenantContainers()).length).toBe(2);
    await snap(page, 'stack-running');
  });

  await test.step('a size change resizes every gateway of the stack, which runs again', async () => {
    const form = page.getByRole('form', { name: 'Change size' });
    await expect(form).toContainText('The size applies to each of the 2 gateways of the stack.');
    await form.getByLabel('Size').selectOption({ label: 'Medium: 2 GiB, 2 CPU' });
    await form.getByRole('button', { name: 'Apply size' }).click();
    const latest = page.getByRole('region', { name: /^Latest job: #2 change/ });
    await expect(latest.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 60_000 });
    for (const name of ['frontend', 'backend']) {
      await expect(page.getByTestId(`gateway-${name}`)).toContainText('2GiB · 2 CPU');
      await expect(page.getByTestId(`gateway-${name}`).getByTestId('gateway-health')).toHaveText('healthy', { timeout: 30_000 });
    }
  });

  await test.step('the site lists it as a stack with both ports', async () => {
    await page.goto(sitePath);
    const row = page.getByRole('table', { name: 'Environments' }).getByRole('row', { name: new RegExp(ENV) });
    await expect(row).toContainText('stack of 2');
    await expect(row).toContainText('running');
    await expect(row).toContainText('2GiB + 2GiB');
    await expect(row).toContainText(ports.join(', '));
    await snap(page, 'stack-site');
  });

  await test.step('the operator tears the whole stack down by typing its name', async () => {
    await page.goto(envPath);
    const form = page.getByRole('form', { name: 'Tear down' });
    await expect(form).toContainText('Removes the 2 gateways');
    await form.getByLabel('Keep the data volume').uncheck();
    await form.getByLabel(`Type ${ENV} to confirm`).fill(ENV);
    await form.getByRole('button', { name: 'Tear down' }).click();
    await expect(page.getByTestId('environment-status')).toHaveText('removed', { timeout: 60_000 });
    await expect(page.getByRole('region', { name: 'Gateways' })).toHaveCount(0);
    expect(await tenantContainers()).toEqual([]);
    await page.goto(sitePath);
    await expect(page.getByText('No environments yet')).toBeVisible();
  });
});
