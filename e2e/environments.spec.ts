import { expect, test, type Page } from '@playwright/test';
import { removeTenantDockerObjects } from './fixtures/docker-cleanup';
import { GATEWAY_VERSION } from './fixtures/env';
import { revealedValue, snap } from './fixtures/session';
import { createSiteFromSitesPage, invitedPerson, tenantWithAdmin } from './fixtures/tenant';

// Environments end to end on the gateway simulator: an operator of a site requests a gateway, watches its
// provisioning steps, restarts it, changes its size and tears it down; a viewer of the site sees it and finds no action button.
const TENANT = { name: 'Gateway Works', slug: 'gateway-works' };
const SITE = { name: 'Line One', slug: 'line-one' };
const ENV = 'line-1-dev';
const admin = { email: 'gina.admin@gw.test', name: 'Gina Admin', password: 'gina-admin-password-1' };
const operator = { email: 'oskar.operator@gw.test', name: 'Oskar Operator', password: 'oskar-operator-pass-1' };
const viewer = { email: 'vera.viewer@gw.test', name: 'Vera Viewer', password: 'vera-viewer-password-1' };
const sitePath = `/t/${TENANT.slug}/sites/${SITE.slug}`;
const envPath = `${sitePath}/environments/${ENV}`;
// Fast health checks and a quick simulator start keep the test in seconds.
const FAST_GATEWAY = 'healthcheck:\n  interval: 1s\n  timeout: 1s\n  retries: 3\nenvironment:\n  SIM_STARTUP_DELAY_MS: "100"';
const ACTION_BUTTONS = ['Start', 'Stop', 'Restart', 'Back up', 'Apply size', 'Tear down'];

test.setTimeout(180_000);
test.afterAll(async () => {
  await removeTenantDockerObjects(TENANT.slug); // a safety net: teardown through the product removes them already
});

/** Waits until the detail page (refreshing itself) shows this latest job finished with success and the status. */
async function expectJobDone(page: Page, job: string, status: string) {
  const latest = page.getByRole('region', { name: new RegExp(`^Latest job: ${job}`) });
  await expect(latest).toBeVisible();
  await expect(latest.getByText('succeeded', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('environment-status')).toHaveText(status, { timeout: 15_000 });
}

test('an operator provisions, restarts, resizes and tears down a gateway; a viewer sees it without actions', async ({ browser }) => {
  let operatorPage!: Page;
  let viewerPage!: Page;

  await test.step('a tenant admin makes a site with an operator and a viewer', async () => {
    const adminPage = await tenantWithAdmin(browser, TENANT, admin);
    await createSiteFromSitesPage(adminPage, TENANT.slug, SITE.name);
    operatorPage = await invitedPerson(browser, adminPage, TENANT, operator, { site: SITE.name, siteRole: 'Operator' });
    viewerPage = await invitedPerson(browser, adminPage, TENANT, viewer, { site: SITE.name, siteRole: 'Viewer' });
    await adminPage.context().close();
  });

  await test.step('the request form explains what is wrong and creates nothing', async () => {
    await operatorPage.goto(sitePath);
    await expect(operatorPage.getByText('No environments yet')).toBeVisible();
    await operatorPage.getByRole('link', { name: 'Request an environment' }).click();
    const form = operatorPage.getByRole('form', { name: 'Request an environment' });
    await form.getByLabel('Name').fill(ENV);
    await form.getByRole('button', { name: 'Request environment' }).click();
    await expect(form.getByText('Accept the Ignition EULA to request a gateway.')).toBeVisible();

    await form.getByLabel(/I accept the Ignition/).check();
    await form.getByLabel('Ignition version').fill('7.9.21');
    await form.getByLabel('Size').selectOption({ label: 'Custom' });
    await form.getByLabel('Memory').fill('512MiB');
    await form.getByLabel('CPUs').fill('1');
    await form.getByRole('button', { name: 'Request environment' }).click();
    await expect(form.getByText(/^Ignition 7\.9\.21 is not supported/)).toBeVisible(); // under the field, without 'spec.version:'
    await expect(form.getByLabel('Name')).toHaveValue(ENV); // what was typed stays
    await snap(operatorPage, 'environment-request-errors');
    await operatorPage.goto(sitePath);
    await expect(operatorPage.getByText('No environments yet')).toBeVisible();
  });

  await test.step('the operator requests a gateway: the admin password is shown once, then the steps run to RUNNING', async () => {
    await operatorPage.goto(`${sitePath}/environments/new`);
    const form = operatorPage.getByRole('form', { name: 'Request an environment' });
    await form.getByLabel('Name').fill(ENV);
    await form.getByLabel('Ignition version').fill(GATEWAY_VERSION);
    await form.getByLabel('Size').selectOption({ label: 'Small: 1 GiB, 1 CPU' });
    await form.getByText('Advanced: more spec fields').click();
    await form.getByLabel('Spec fields (YAML)').fill(FAST_GATEWAY);
    await form.getByLabel(/I accept the Ignition/).check();
    await form.getByRole('button', { name: 'Request environment' }).click();
    await expect(form.getByText('It is shown only once')).toBeVisible();
    expect((await revealedValue(operatorPage)).length).toBeGreaterThanOrEqual(12);
    await snap(operatorPage, 'environment-requested');
    // The same name again: refused under the name, and no second password.
    await form.getByLabel('Name').fill(ENV);
    await form.getByLabel(/I accept the Ignition/).check();
    await form.getByRole('button', { name: 'Request environment' }).click();
    await expect(form.getByText(`An environment named "${ENV}" already exists in this site.`)).toBeVisible();
    await expect(operatorPage.getByTestId('one-time-value')).toHaveCount(0);
    await form.getByRole('link', { name: `Open ${ENV}` }).click();
    await operatorPage.waitForURL(`**${envPath}`);
    await expectJobDone(operatorPage, '#1 provision', 'running');
    const steps = operatorPage.getByRole('table', { name: 'Steps of job 1' });
    await expect(steps.getByRole('row', { name: /healthy/ })).toContainText('done');
    await expect(operatorPage.getByRole('link', { name: /^http:\/\/127\.0\.0\.1:\d+$/ })).toBeVisible();
    await expect(operatorPage.getByRole('link', { name: `Download ${ENV}.compose.yaml` })).toBeVisible();
    await snap(operatorPage, 'environment-running');
  });

  await test.step('the operator sees CPU and memory charts with values and the log tail, and follows it', async () => {
    // The sampler takes a sample every few seconds and the page re-renders with it while the gateway runs.
    await expect(operatorPage.getByTestId('cpu-latest')).toHaveText(/^\d+\.\d %$/, { timeout: 45_000 });
    await expect(operatorPage.getByTestId('memory-latest')).toHaveText(/^\d+ MiB \/ 1024 MiB$/);
    await expect(operatorPage.getByRole('img', { name: /CPU \(% of one CPU\)/ })).toBeVisible();
    await expect(operatorPage.getByRole('img', { name: /Memory \(MiB\)/ })).toBeVisible();
    const log = operatorPage.getByTestId('log-lines');
    await expect(log).toContainText('/StatusPing'); // the health check's requests, as the simulator logs them
    const before = await log.locator('div').count();
    const last = await log.locator('div').last().textContent();
    await operatorPage.getByRole('button', { name: 'Follow' }).click();
    await expect(operatorPage.getByRole('button', { name: 'Stop following' })).toHaveAttribute('aria-pressed', 'true');
    // New health-check lines arrive every second: the panel appends them (or, once full, the last line changes).
    await expect.poll(async () => (await log.locator('div').count()) > before || (await log.locator('div').last().textContent()) !== last, { timeout: 20_000 }).toBe(true);
    await operatorPage.getByRole('button', { name: 'Stop following' }).click();
    await snap(operatorPage, 'environment-observe');
  });

  await test.step('the operator restarts it', async () => {
    await operatorPage.getByRole('form', { name: `Restart ${ENV}` }).getByRole('button', { name: 'Restart' }).click();
    await expectJobDone(operatorPage, '#2 restart', 'running');
    await expect(operatorPage.getByRole('table', { name: 'Job history' }).getByRole('row')).toHaveCount(3); // header + 2 jobs
  });

  await test.step('the operator changes its size: re-created with the new limits, still running', async () => {
    const form = operatorPage.getByRole('form', { name: 'Change size' });
    await form.getByLabel('Size').selectOption({ label: 'Medium: 2 GiB, 2 CPU' });
    await form.getByRole('button', { name: 'Apply size' }).click();
    await expectJobDone(operatorPage, '#3 change', 'running');
    await expect(operatorPage.getByText('2GiB · 2 CPU')).toBeVisible();
  });

  await test.step('the viewer sees the gateway, on the site and in the overview, and has no action button', async () => {
    await viewerPage.goto(sitePath);
    const table = viewerPage.getByRole('table', { name: 'Environments' });
    await expect(table.getByRole('row', { name: new RegExp(ENV) })).toContainText('running');
    await expect(viewerPage.getByRole('link', { name: 'Request an environment' })).toHaveCount(0);
    await snap(viewerPage, 'site-environments');
    await table.getByRole('link', { name: ENV }).click();
    await viewerPage.waitForURL(`**${envPath}`);
    await expect(viewerPage.getByTestId('environment-status')).toHaveText('running');
    await expect(viewerPage.getByRole('region', { name: 'Actions' })).toHaveCount(0);
    await expect(viewerPage.getByTestId('cpu-latest')).toHaveText(/%$/, { timeout: 30_000 });
    await expect(viewerPage.getByTestId('memory-latest')).toHaveText(/MiB$/);
    await expect(viewerPage.getByTestId('log-lines')).toBeVisible();
    for (const name of ACTION_BUTTONS) await expect(viewerPage.getByRole('button', { name })).toHaveCount(0);
    await snap(viewerPage, 'environment-viewer');
    await viewerPage.goto(`${sitePath}/environments/new`);
    await expect(viewerPage.getByRole('heading', { name: 'Nothing here for you' })).toBeVisible();
    await viewerPage.goto(`/t/${TENANT.slug}`);
    const overview = viewerPage.getByRole('table', { name: 'Environments by site' });
    await expect(overview.getByRole('row', { name: new RegExp(SITE.name) })).toContainText('1 running');
    await snap(viewerPage, 'overview-environments');
  });

  await test.step('the operator tears it down by typing its name', async () => {
    await operatorPage.goto(envPath);
    const form = operatorPage.getByRole('form', { name: 'Tear down' });
    await form.getByLabel('Keep the data volume').uncheck();
    await expect(form.getByRole('button', { name: 'Tear down' })).toBeDisabled();
    await form.getByLabel(`Type ${ENV} to confirm`).fill(ENV);
    await form.getByRole('button', { name: 'Tear down' }).click();
    await expectJobDone(operatorPage, '#4 teardown', 'removed');
    await expect(operatorPage.getByRole('region', { name: 'Actions' })).toHaveCount(0);
    await snap(operatorPage, 'environment-removed');
    await operatorPage.goto(sitePath);
    await expect(operatorPage.getByText('No environments yet')).toBeVisible();
  });
});
