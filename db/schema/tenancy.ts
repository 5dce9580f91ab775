import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, pgTable, unique, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

// Platform tables (no tenant_id): tenants and users are global; their rows hold no tenant data.
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  // Moves with every committed write to the tenant's sites, memberships, site grants, custom roles and API tokens
  // (triggers, migration 0011), so a cached read of those is known to be current by reading this one number.
  cacheVersion: bigint('cache_version', { mode: 'number' }).notNull().default(0),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  passwordHash: text('password_hash'),
  isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
  oidcSubject: text('oidc_subject'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`),
  uniqueIndex('users_oidc_subject_idx').on(t.oidcSubject),
]);

// Tenant tables: every row carries tenant_id; row-level security is added in the RLS migration.
export const sites = pgTable('sites', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('sites_tenant_slug_idx').on(t.tenantId, t.slug), unique('sites_tenant_id_key').on(t.tenantId, t.id)]);

export const customRoles = pgTable('custom_roles', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  permissions: text('permissions').array().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('custom_roles_tenant_name_idx').on(t.tenantId, t.name),
  unique('custom_roles_tenant_id_key').on(t.tenantId, t.id),
]);

export const memberships = pgTable('memberships', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  // A built-in tenant role, or null with custom_role_id set. 'none' means site grants only.
  role: text('role'),
  customRoleId: uuid('custom_role_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('memberships_tenant_user_idx').on(t.tenantId, t.userId),
  index('memberships_user_idx').on(t.userId),
  foreignKey({ name: 'memberships_custom_role_fk', columns: [t.tenantId, t.customRoleId], foreignColumns: [customRoles.tenantId, customRoles.id] }),
]);

export const siteGrants = pgTable('site_grants', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  siteId: uuid('site_id').notNull(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: text('role'),
  customRoleId: uuid('custom_role_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('site_grants_tenant_site_user_idx').on(t.tenantId, t.siteId, t.userId),
  index('site_grants_tenant_user_idx').on(t.tenantId, t.userId),
  foreignKey({ name: 'site_grants_custom_role_fk', columns: [t.tenantId, t.customRoleId], foreignColumns: [customRoles.tenantId, customRoles.id] }),
  foreignKey({ name: 'site_grants_site_fk', columns: [t.tenantId, t.siteId], foreignColumns: [sites.tenantId, sites.id] }).onDelete('cascade'),
]);

export const invitations = pgTable('invitations', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  role: text('role'),
  customRoleId: uuid('custom_role_id'),
  // Optional site to grant on acceptance, for inviting a delegated operator straight onto a site.
  siteId: uuid('site_id'),
  siteRole: text('site_role'),
  tokenHash: text('token_hash').notNull().unique(),
  invitedBy: uuid('invited_by').notNull().references(() => users.id),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  acceptedBy: uuid('accepted_by').references(() => users.id),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('invitations_tenant_idx').on(t.tenantId, t.createdAt),
  foreignKey({ name: 'invitations_custom_role_fk', columns: [t.tenantId, t.customRoleId], foreignColumns: [customRoles.tenantId, customRoles.id] }),
  foreignKey({ name: 'invitations_site_fk', columns: [t.tenantId, t.siteId], foreignColumns: [sites.tenantId, sites.id] }).onDelete('cascade'),
]);
