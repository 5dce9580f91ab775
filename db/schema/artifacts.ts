import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
const ARTIFACT_KINDS = ['project', 'backup', 'module', 'jdbc-driver', 'licence', 'other'] as const;
import { environments } from './environments';
import { sites, tenants } from './tenancy';

// The artifact store: named artifacts with immutable, content-addressed versions. Tenant tables: row-level security
// is added in the artifacts RLS migration.

export const DEPLOYMENT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;

/** Where a version came from, as its uploader said. Every field optional; text is free-form. */
export interface SourceReference { repository?: string; commit?: string; path?: string; buildUrl?: string; text?: string }

export const artifacts = pgTable('artifacts', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  // Null: the tenant's shared library. Set: the artifact belongs to that site (its delegated operators see it).
  siteId: uuid('site_id'),
  name: text('name').notNull(),
  kind: text('kind', { enum: ARTIFACT_KINDS }).notNull(),
  description: text('description').notNull().default(''),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('artifacts_tenant_name_idx').on(t.tenantId, t.name),
  index('artifacts_tenant_site_idx').on(t.tenantId, t.siteId),
  unique('artifacts_tenant_id_key').on(t.tenantId, t.id),
  foreignKey({ name: 'artifacts_site_fk', columns: [t.tenantId, t.siteId], foreignColumns: [sites.tenantId, sites.id] }).onDelete('cascade'),
]);

// One stored object per distinct content per tenant: the row is what garbage collection and storage use count.
export const artifactObjects = pgTable('artifact_objects', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  sha256: text('sha256').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  // Touched whenever a version starts referring to it, so collection never races a fresh upload of the same bytes.
  referencedAt: timestamp('referenced_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ name: 'artifact_objects_pkey', columns: [t.tenantId, t.sha256] }),
]);

export const artifactVersions = pgTable('artifact_versions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  artifactId: uuid('artifact_id').notNull(),
  // 1, 2, 3... per artifact; never reused, even after a deletion.
  number: integer('number').notNull(),
  sha256: text('sha256').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  contentType: text('content_type').notNull(),
  filename: text('filename').notNull(),
  metadata: jsonb('metadata').notNull().default({}),
  source: jsonb('source').$type<SourceReference>().notNull().default({}),
  notes: text('notes').notNull().default(''),
  uploadedBy: text('uploaded_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('artifact_versions_number_idx').on(t.tenantId, t.artifactId, t.number),
  index('artifact_versions_sha_idx').on(t.tenantId, t.sha256),
  unique('artifact_versions_tenant_id_key').on(t.tenantId, t.id),
  foreignKey({ name: 'artifact_versions_artifact_fk', columns: [t.tenantId, t.artifactId], foreignColumns: [artifacts.tenantId, artifacts.id] }).onDelete('cascade'),
  foreignKey({ name: 'artifact_versions_object_fk', columns: [t.tenantId, t.sha256], foreignColumns: [artifactObjects.tenantId, artifactObjects.sha256] }),
]);

// A version put on a gateway: shown on the version (where it runs) and on the environment (what it runs).
export const artifactDeployments = pgTable('artifact_deployments', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  versionId: uuid('version_id').notNull(),
  environmentId: uuid('environment_id').notNull(),
  jobId: uuid('job_id'),
  status: text('status', { enum: DEPLOYMENT_STATUSES }).notNull().default('queued'),
  error: text('error'),
  deployedBy: text('deployed_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [
  index('artifact_deployments_version_idx').on(t.tenantId, t.versionId, t.createdAt),
  index('artifact_deployments_env_idx').on(t.tenantId, t.environmentId, t.createdAt),
  // A deployed version is not deleted by accident: deleting one needs force, which removes its history first.
  foreignKey({ name: 'artifact_deployments_version_fk', columns: [t.tenantId, t.versionId], foreignColumns: [artifactVersions.tenantId, artifactVersions.id] }),
  foreignKey({ name: 'artifact_deployments_env_fk', columns: [t.tenantId, t.environmentId], foreignColumns: [environments.tenantId, environments.id] }).onDelete('cascade'),
]);

// Scheduled backups of one environment into its backup artifact, with retention.
export const backupSchedules = pgTable('backup_schedules', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  environmentId: uuid('environment_id').notNull(),
  everyHours: integer('every_hours').notNull(),
  keepLast: integer('keep_last'),
  keepDays: integer('keep_days'),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ name: 'backup_schedules_pkey', columns: [t.tenantId, t.environmentId] }),
  index('backup_schedules_due_idx').on(t.nextRunAt),
  foreignKey({ name: 'backup_schedules_env_fk', columns: [t.tenantId, t.environmentId], foreignColumns: [environments.tenantId, environments.id] }).onDelete('cascade'),
]);

export type Artifact = typeof artifacts.$inferSelect;
export type ArtifactVersion = typeof artifactVersions.$inferSelect;
export type ArtifactDeployment = typeof artifactDeployments.$inferSelect;
export type BackupSchedule = typeof backupSchedules.$inferSelect;
