import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import postgres from 'postgres';
import { APP_ROLE, DATABASE_NAME } from '../db/embedded';
import { E2E } from './fixtures/env';
import { OIDC_CLIENT, oidcIssuer, startOidcProvider, type OidcAccount, type RunningOidcProvider } from './fixtures/oidc-provider';
import { invitedPerson, tenantWithAdmin } from './fixtures/tenant';

// Single sign-on against a real OpenID provider: a person who already has a Switchyard account signs in with the
// provider and is linked by verified email, then by subject; anyone else is refused and nothing is created.
// The provider starts here rather than in globalSetup: the accounts live in this process, so a test can change
// a person at the provider (a new email) between sign-ins, and no other spec pays for it.
const TENANT = { name: 'Orbital Foods', slug: 'orbital-foods' };
const owner = { email: 'olga.owner@orbital.test', name: 'Olga Owner', password: 'olga-owner-password-1' };
const member = { email: 'mo.member@orbital.test', name: 'Mo Member', password: 'mo-member-password-1' };
const NOT_LINKED = 'Your single sign-on account is not linked to Switchyard yet. Ask a tenant admin for an invitation.';

const accounts = new Map<string, OidcAccount>();
let provider: RunningOidcProvider;
let sql: postgres.Sql;
// One tenant for the file: a retry in a fresh worker would try to create it again.
test.describe.configure({ mode: 'serial' });

/** Reads the product's database as the app role, the way the platform reads its own audit chain. */
async function connectAsApp(): Promise<postgres.Sql> {
  const creds = JSON.parse(await readFile(path.join(E2E.dataDir, 'postgres-credentials.json'), 'utf8')) as { app: string };
  return postgres({ host: '127.0.0.1', port: E2E.pgPort, database: DATABASE_NAME, username: APP_ROLE, password: creds.app, max: 1 });
}

interface SignInAudit { actor_label: string; resource_id: string | null; result: string; source_ip: string | null; user_agent: string | null; changes: Record<string, string> }
async function oidcSignInAudits(label: string): Promise<SignInAudit[]> {
  return sql.begin(async (tx) => {
    await tx`select set_config('app.platform', 'on', true)`;
    return tx<SignInAudit[]>`select actor_label, resource_id, result, source_ip, user_agent, changes from audit_log
      where tenant_id is null and action = 'auth.sign_in' and changes->>'method' = 'oidc' and actor_label = ${label} order by id`;
  });
}

async function userByEmail(email: string) {
  const rows = await sql<{ id: string; oidc_subject: string | null }[]>`select id, oidc_subject from users where email = ${email}`;
  return rows[0];
}

async function userCount(): Promise<number> {
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from users`;
  return row?.count ?? 0;
}

/** A fresh browser (no session anywhere) takes the SSO button and completes the provider's login and consent. */
async function signInWithSso(browser: Browser, sub: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/signin');
  await page.getByRole('button', { name: `Sign in with ${OIDC_CLIENT.name}` }).click();
  await page.waitForURL(`${oidcIssuer}/interaction/**`);
  await page.getByPlaceholder('Enter any login').fill(sub);
  await page.getByPlaceholder('and password').fill('the test provider checks no password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click(); // consent: scopes openid, email, profile
  await page.waitForURL((url) => url.origin === E2E.baseUrl);
  return page;
}

async function expectRefused(page: Page) {
  await page.waitForURL(/\/signin\?error=OidcNoAccount$/);
  await expect(page.getByRole('alert').filter({ hasText: NOT_LINKED })).toBeVisible();
  const cookies = await page.context().cookies();
  expect(cookies.filter((c) => c.name.includes('session-token'))).toEqual([]);
  const session = await page.context().request.get('/api/auth/session');
  expect(await session.json()).toEqual({});
  await page.goto(`/t/${TENANT.slug}`);
  await page.waitForURL(/\/signin/);
  await page.context().close(); // each refusal opened a browser context of its own
}

test.beforeAll(async ({ browser }) => {
  provider = await startOidcProvider(accounts);
  const ownerPage = await tenantWithAdmin(browser, TENANT, owner);
  await (await invitedPerson(browser, ownerPage, TENANT, member, { role: 'Member' })).context().close();
  await ownerPage.context().close();
  sql = await connectAsApp();
});

test.afterAll(async () => {
  await sql?.end();
  await provider?.stop();
});

test('a person with an account signs in with SSO, linked by verified email, then by subject; a second identity is refused', async ({ browser }) => {
  // The provider spells the address differently; it is the same person.
  accounts.set('olga-4f1c', { sub: 'olga-4f1c', email: 'Olga.Owner@Orbital.test', email_verified: true, name: 'O. Owner (IdP)' });
  expect((await userByEmail(owner.email))?.oidc_subject).toBeNull();

  const first = await signInWithSso(browser, 'olga-4f1c');
  await first.waitForURL(`**/t/${TENANT.slug}`);
  await expect(first.getByTestId('signed-in-as')).toContainText(owner.name); // the Switchyard account, not the IdP's name
  await expect(first.getByRole('heading', { name: TENANT.name, level: 1 })).toBeVisible();
  const olga = await userByEmail(owner.email);
  expect(olga?.oidc_subject).toBe('olga-4f1c');
  await first.context().close();

  // The provider now knows Olga under a new, unverified address: the subject alone still finds her account.
  accounts.set('olga-4f1c', { sub: 'olga-4f1c', email: 'olga@orbital-group.test', email_verified: false, name: 'Olga' });
  const again = await signInWithSso(browser, 'olga-4f1c');
  await again.waitForURL(`**/t/${TENANT.slug}`);
  await expect(again.getByTestId('signed-in-as')).toContainText(owner.name);
  expect(await userByEmail('olga@orbital-group.test')).toBeUndefined();
  await again.context().close();

  // A second identity at the provider with Olga's verified address does not take over her linked account.
  accounts.set('olga-twin', { sub: 'olga-twin', email: owner.email, email_verified: true, name: 'Not Olga' });
  await expectRefused(await signInWithSso(browser, 'olga-twin'));
  expect(await userByEmail(owner.email)).toEqual(olga);

  // Audited like password sign-ins, on the platform chain, with where the request came from.
  const success = { result: 'success', resource_id: olga?.id, source_ip: '127.0.0.1', changes: { method: 'oidc' } };
  const denied = { result: 'denied', resource_id: olga?.id, changes: { method: 'oidc', reason: 'account linked to another identity' } };
  expect(await oidcSignInAudits(owner.email)).toMatchObject([success, denied]);
  const bySubject = await oidcSignInAudits('olga@orbital-group.test');
  expect(bySubject).toMatchObject([success]);
  expect(bySubject[0]?.user_agent).toContain('Chrome');
});

test('an unverified email or an email with no account is refused, and nothing is created', async ({ browser }) => {
  const usersBefore = await userCount();

  // Mo has an account, but the provider has not verified the address it sends.
  accounts.set('mo-unverified', { sub: 'mo-unverified', email: member.email, email_verified: false, name: 'Mo' });
  await expectRefused(await signInWithSso(browser, 'mo-unverified'));
  expect((await userByEmail(member.email))?.oidc_subject).toBeNull();

  // A verified address that no Switchyard account has: no account is made for it.
  accounts.set('stranger-1', { sub: 'stranger-1', email: 'stranger@elsewhere.test', email_verified: true, name: 'Stranger' });
  await expectRefused(await signInWithSso(browser, 'stranger-1'));
  expect(await userByEmail('stranger@elsewhere.test')).toBeUndefined();

  expect(await userCount()).toBe(usersBefore);
  expect(await oidcSignInAudits(member.email)).toMatchObject([{ result: 'denied', resource_id: null, changes: { reason: 'no linked account and no verified email' } }]);
  expect(await oidcSignInAudits('stranger@elsewhere.test')).toMatchObject([{ result: 'denied', resource_id: null, changes: { reason: 'no account with this email' } }]);
});

test('an Entra ID token without email_verified links by email only when xms_edov vouches for the domain', async ({ browser }) => {
  // Entra ID sends no email_verified for work accounts; xms_edov false (or absent) is no proof of the address.
  accounts.set('mo-entra', { sub: 'mo-entra', email: member.email, xms_edov: false, name: 'Mo (Entra)' });
  await expectRefused(await signInWithSso(browser, 'mo-entra'));
  expect((await userByEmail(member.email))?.oidc_subject).toBeNull();

  accounts.set('mo-entra', { sub: 'mo-entra', email: member.email, xms_edov: true, name: 'Mo (Entra)' });
  const page = await signInWithSso(browser, 'mo-entra');
  await page.waitForURL(`**/t/${TENANT.slug}`);
  await expect(page.getByTestId('signed-in-as')).toContainText(member.name);
  expect((await userByEmail(member.email))?.oidc_subject).toBe('mo-entra');
  await page.context().close();
});
