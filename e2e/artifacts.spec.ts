import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildProjectExport } from '../lib/artifacts/fixtures';
import { removeTenantDockerObjects } from './fixtures/docker-cleanup';
import { GATEWAY_VERSION } from './fixtures/env';
import { snap } from './fixtures/session';
import { createSiteFromSitesPage, invitedPerson, tenantWithAdmin } from './fixtures/tenant';
import { slowUploads, uploadThroughPanel } from './fixtures/artifacts';

// The artifact store end to end: an admin uploads a project export (a few MiB, so the progress bar is seen moving),
// reads what was parsed from it, uploads a second version and reads the diff, downloads it and checks its hash;
// a refused file and a cancelled upload leave nothing; a read-only member sees the library without the upload panel.
const TENANT = { name: 'Artifact Works', slug: 'artifact-works' };
const admin = { email: 'ada.admin@aw.test', name: 'Ada Admin', password: 'ada-admin-password-1' };
const member = { email: 'max.member@aw.test', name: 'Max Member', password: 'max-member-password-1' };
const PERSPECTIVE = 'com.inductiveautomation.perspective';
const library = `/t/${TENANT.slug}/artifacts`;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test.setTimeout(300_000);

let dir: string;
test.beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), 'sy-e2e-artifacts-')); });
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await removeTenantDockerObjects(TENANT.slug);
});

const SITE = 'Packaging';
const ENV = 'pack-dev';
const GATEWAY_TOKEN = 'e2e-gateway-api-token';
// A quick simulator whose REST API accepts the token the request form seals for the environment.
const FAST_GATEWAY = `healthcheck:\n  interval: 1s\n  timeout: 1s\n  retries: 3\nenvironment:\n  SIM_STARTUP_DELAY_MS: "100"\n  SIM_API_TOKEN: ${GATEWAY_TOKEN}`;

/** Each version in its own folder under the same file name, as a build would produce it again. */
async function projectFile(folder: string, fixture: Parameters<typeof buildProjectExport>[0]): Promise<{ file: string; bytes: Buffer }> {
  const bytes = await buildProjectExport(fixture);
  await mkdir(path.join(dir, folder));
  const file = path.join(dir, folder, 'line-hmi.zip');
  await writeFile(file, bytes);
  return { file, bytes };
}

test('an admin uploads, inspects, diffs, downloads and deploys a project; a member sees no upload panel', async ({ browser }) => {
  // Incompressible bytes make the export a few MiB, so the upload takes long enough to watch under throttling.
  const thumbnail = randomBytes(4 * 1024 * 1024);
  const v1 = await projectFile('v1', { title: 'Line HMI', description: 'Operator screens', resources: {
    [`${PERSPECTIVE}/views/Home/view.json`]: '{"root":{"type":"ia.container.flex"}}',
    [`${PERSPECTIVE}/views/Home/thumbnail.png`]: thumbnail,
    [`${PERSPECTIVE}/views/Alarms/view.json`]: '{"root":{"type":"ia.display.alarmstatustable"}}',
    'ignition/script-python/utils/code.py': 'def shift():\n    return 1\n',
  } });
  const v2 = await projectFile('v2', { title: 'Line HMI 2', description: 'Operator screens', resources: {
    [`${PERSPECTIVE}/views/Home/view.json`]: '{"root":{"type":"ia.container.coord"}}',
    [`${PERSPECTIVE}/views/Home/thumbnail.png`]: thumbnail,
    [`${PERSPECTIVE}/views/Trends/view.json`]: '{"root":{"type":"ia.chart.timeseries"}}',
    'ignition/script-python/utils/code.py': 'def shift():\n    return 1\n',
  } });
  const notZip = path.join(dir, 'notes.zip');
  await writeFile(notZip, 'this is a text file with a zip name\n');

  let page!: Page;
  let artifactPath = '';
  let envPath = '';

  await test.step('a tenant admin and a read-only member', async () => {
    page = await tenantWithAdmin(browser, TENANT, admin);
    const memberPage = await invitedPerson(browser, page, TENANT, member, { role: 'Member' });
    await memberPage.goto(library);
    await expect(memberPage.getByRole('heading', { name: 'Artifacts' })).toBeVisible();
    await expect(memberPage.getByText('No artifacts yet')).toBeVisible();
    await expect(memberPage.getByRole('form', { name: 'Upload a file' })).toHaveCount(0);
    await memberPage.context().close();
  });

  await test.step('a file that is not a zip is refused with the API\'s message, and nothing is kept', async () => {
    await page.goto(library);
    const form = page.getByRole('form', { name: 'Upload a file' });
    await form.getByLabel('File').setInputFiles(notZip);
    await expect(form.getByLabel('Name')).toHaveValue('notes');
    await expect(form.getByLabel('Kind')).toHaveValue('project'); // guessed from .zip
    await form.getByRole('button', { name: 'Upload' }).click();
    await expect(form.getByRole('alert')).toContainText('is not a zip archive, so it cannot be a project export');
    await page.reload();
    await expect(page.getByText('No artifacts yet')).toBeVisible();
  });

  await test.step('a cancelled upload stores nothing', async () => {
    const form = page.getByRole('form', { name: 'Upload a file' });
    const restore = await slowUploads(page, 512 * 1024);
    await form.getByLabel('File').setInputFiles(v1.file);
    await form.getByRole('button', { name: 'Upload' }).click();
    await expect(form.getByRole('progressbar')).toBeVisible();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form.getByRole('status')).toHaveText('Upload cancelled; nothing was stored.');
    await expect(form.getByRole('progressbar')).toHaveCount(0);
    await restore();
    await page.reload();
    await expect(page.getByText('No artifacts yet')).toBeVisible();
  });

  await test.step('the first version uploads with a moving progress bar and opens on its parsed contents', async () => {
    const form = page.getByRole('form', { name: 'Upload a file' });
    await form.getByLabel('File').setInputFiles(v1.file);
    await expect(form.getByLabel('Name')).toHaveValue('line-hmi');
    await form.getByLabel('Notes').fill('First cut from the plant');
    await form.getByText('Source: where this file came from').click();
    await form.getByLabel('Repository', { exact: true }).fill('https://git.example.com/plant/hmi.git');
    await form.getByLabel('Commit').fill('3f9c2ab7d1e0');
    const seen = await uploadThroughPanel(page, form, 2 * 1024 * 1024);
    expect(seen.some((v) => v > 0 && v < 100), `progress values seen: ${seen.join(', ')}`).toBe(true);
    await page.waitForURL(/\/artifacts\/[0-9a-f-]{36}\?version=1$/);
    artifactPath = new URL(page.url()).pathname;
    await expect(page.getByRole('heading', { name: 'line-hmi' })).toBeVisible();
    await expect(page.getByTestId('fact-title')).toHaveText('Line HMI');
    await expect(page.getByTestId('fact-resources')).toHaveText('3');
    const types = page.getByRole('table', { name: 'Resources by module and type' });
    await expect(types.getByRole('row', { name: /views/ })).toContainText('2');
    const versions = page.getByRole('table', { name: 'Versions' });
    await expect(versions.getByRole('row', { name: /v1/ })).toContainText(sha256(v1.bytes).slice(0, 12));
    await expect(versions.getByRole('row', { name: /v1/ })).toContainText('git.example.com/plant/hmi.git@3f9c2ab7d1e0');
    await expect(page.getByText('Not deployed to any environment.')).toBeVisible();
    await snap(page, 'artifact-v1');
  });

  await test.step('a second version under the same name; the diff shows what was added, removed and changed', async () => {
    await page.goto(library);
    await expect(page.getByRole('table', { name: 'Artifacts' }).getByRole('row', { name: /line-hmi/ })).toContainText('v1');
    await expect(page.getByTestId('storage-used')).toContainText('MiB');
    const form = page.getByRole('form', { name: 'Upload a file' });
    await form.getByLabel('File').setInputFiles(v2.file);
    await uploadThroughPanel(page, form, 4 * 1024 * 1024);
    await page.waitForURL(`**${artifactPath}?version=2`);
    await expect(page.getByTestId('fact-title')).toHaveText('Line HMI 2');
    const compare = page.getByRole('form', { name: 'Compare versions' });
    await expect(compare.getByLabel('From')).toHaveValue('1');
    await expect(compare.getByLabel('To')).toHaveValue('2');
    await compare.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(`**${artifactPath}/diff?from=1&to=2`);
    await expect(page.getByTestId('diff-counts')).toHaveText(/1 added.*1 removed.*1 changed.*1 unchanged/);
    await expect(page.getByRole('img', { name: 'Resources: 1 added, 1 removed, 1 changed, 1 unchanged' })).toBeVisible();
    const changes = page.getByRole('list', { name: 'Changed resources' });
    await expect(changes.getByRole('listitem').filter({ hasText: `${PERSPECTIVE}/views/Trends` })).toContainText('added');
    await expect(changes.getByRole('listitem').filter({ hasText: `${PERSPECTIVE}/views/Home` })).toContainText('changed');
    await expect(changes.getByRole('listitem').filter({ hasText: `${PERSPECTIVE}/views/Alarms` })).toContainText('removed');
    await expect(page.getByRole('table', { name: 'project.json changes' }).getByRole('row', { name: /title/ })).toContainText('Line HMI 2');
    await snap(page, 'artifact-diff');
  });

  await test.step('downloading version 2 gives back the same bytes', async () => {
    await page.goto(`${artifactPath}?version=2`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download v2' }).click();
    const saved = await (await download).path();
    expect(sha256(await readFile(saved))).toBe(sha256(v2.bytes));
  });

  await test.step('version 2 is deployed to a running gateway, and each side shows it', async () => {
    await createSiteFromSitesPage(page, TENANT.slug, SITE);
    await page.getByRole('table', { name: 'Sites' }).getByRole('link', { name: SITE }).click();
    await page.waitForURL(/\/sites\/[a-z0-9-]+$/);
    const sitePath = new URL(page.url()).pathname;
    await page.goto(`${sitePath}/environments/new`);
    const request = page.getByRole('form', { name: 'Request an environment' });
    await request.getByLabel('Name').fill(ENV);
    await request.getByLabel('Ignition version').fill(GATEWAY_VERSION);
    await request.getByLabel('Size').selectOption({ label: 'Small: 1 GiB, 1 CPU' });
    await request.getByText('Advanced: more spec fields').click();
    await request.getByLabel('Spec fields (YAML)').fill(FAST_GATEWAY);
    await request.getByLabel('Gateway API token (optional)').fill(GATEWAY_TOKEN);
    await request.getByLabel(/I accept the Ignition/).check();
    await request.getByRole('button', { name: 'Request environment' }).click();
    await request.getByRole('link', { name: `Open ${ENV}` }).click();
    await expect(page.getByTestId('environment-status')).toHaveText('running', { timeout: 90_000 });

    const deploy = page.getByRole('form', { name: 'Deploy a version' });
    await deploy.getByLabel('Version').selectOption({ label: 'line-hmi v2 (project, line-hmi.zip)' });
    await deploy.getByRole('button', { name: 'Deploy' }).click();
    const deployments = page.getByRole('table', { name: 'Deployments' });
    await expect(deployments.getByRole('row', { name: /line-hmi/ })).toContainText('succeeded', { timeout: 60_000 });
    envPath = new URL(page.url()).pathname;
    await snap(page, 'environment-deployed');

    await page.goto(`${artifactPath}?version=2`);
    await expect(page.getByText('Not deployed to any environment.')).toHaveCount(0);
    await expect(page.getByRole('table', { name: 'Deployments' }).getByRole('row', { name: new RegExp(ENV) })).toContainText('succeeded');
  });

  await test.step('a version can be deleted after confirming', async () => {
    await page.goto(`${artifactPath}?version=1`);
    const form = page.getByRole('form', { name: 'Delete version 1' });
    await form.getByRole('button', { name: 'Delete version 1' }).click();
    await form.getByRole('button', { name: 'Delete version' }).click();
    // The page re-renders without it, on the newest version left.
    const versions = page.getByRole('table', { name: 'Versions' });
    await expect(versions.getByRole('row')).toHaveCount(2); // header + v2
    await expect(versions.getByRole('link', { name: 'v1', exact: true })).toHaveCount(0);
    await expect(page.getByRole('form', { name: 'Delete version 2' })).toBeVisible();
  });

  await test.step('the gateway is torn down, so nothing of it stays on the engine', async () => {
    await page.goto(envPath);
    const form = page.getByRole('form', { name: 'Tear down' });
    await form.getByLabel('Keep the data volume').uncheck();
    await form.getByLabel(`Type ${ENV} to confirm`).fill(ENV);
    await form.getByRole('button', { name: 'Tear down' }).click();
    await expect(page.getByTestId('environment-status')).toHaveText('removed', { timeout: 60_000 });
  });
});
