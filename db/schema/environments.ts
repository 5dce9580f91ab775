import { sql } from 'drizzle-orm';
import { bigint, doublePrecision, foreignKey, index, integer, jsonb, numeric, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sites, tenants } from './tenancy';

// Gateways the control plane runs. Tenant tables: row-level security is added in the environments RLS migration.

export const ENVIRONMENT_STAGES = ['dev', 'staging', 'prod'] as const;
export const DESIRED_STATES = ['running', 'stopped', 'absent'] as const;
export const ENVIRONMENT_STATUSES = [
  'provisioning', 'running', 'stopped', 'starting', 'stopping', 'restarting', 'changing', 'backing_up', 'deploying', 'failed', 'tearing_down', 'removed',
] as const;
export const JOB_KINDS = ['provision', 'change', 'start', 'stop', 'restart', 'backup', 'deploy', 'teardown'] as const;
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'rolled_back'] as const;

export interface JobStep { name: string; status: 'running' | 'done' | 'skipped' | 'failed'; startedAt: string; finishedAt: string | null; detail: string }

export const environments = pgTable('environments', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  siteId: uuid('site_id').notNull(),
  name: text('name').notNull(),
  stage: text('stage', { enum: ENVIRONMENT_STAGES }).notNull(),
  // The gateway spec as the operator gave it (validated by parseStack on every write).
  spec: jsonb('spec').notNull(),
  desiredState: text('desired_state', { enum: DESIRED_STATES }).notNull().default('running'),
  status: text('status', { enum: ENVIRONMENT_STATUSES }).notNull().default('provisioning'),
  lastError: text('last_error'),
  // Names on the engine are frozen at creation, so renaming a tenant or site never orphans a container.
  runtimeTenant: text('runtime_tenant').notNull(),
  runtimeSite: text('runtime_site').notNull(),
  // AES-256-GCM sealed (lib/crypto/sealed): never returned after creation, never logged.
  adminPasswordSealed: text('admin_password_sealed').notNull(),
  apiTokenSealed: text('api_token_sealed'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  removedAt: timestamp('removed_at', { withTimezone: true }),
}, (t) => [
  // A torn-down environment keeps its row (and job history); its name is free again.
  uniqueIndex('environments_site_name_idx').on(t.tenantId, t.siteId, t.name).where(sql`removed_at is null`),
  index('environments_tenant_site_idx').on(t.tenantId, t.siteId, t.createdAt),
  unique('environments_tenant_id_key').on(t.tenantId, t.id),
  foreignKey({ name: 'environments_site_fk', columns: [t.tenantId, t.siteId], foreignColumns: [sites.tenantId, sites.id] }).onDelete('cascade'),
]);

// Host ports are a host resource: unique across the whole platform, whichever tenant holds them.
export const portAllocations = pgTable('port_allocations', {
  hostPort: integer('host_port').primaryKey(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  environmentId: uuid('environment_id').notNull(),
  purpose: text('purpose').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('port_allocations_tenant_env_idx').on(t.tenantId, t.environmentId),
  foreignKey({ name: 'port_allocations_env_fk', columns: [t.tenantId, t.environmentId], foreignColumns: [environments.tenantId, environments.id] }).onDelete('cascade'),
]);

// The console's view of queued work; pg-boss carries only { tenantId, jobId } to the worker.
export const environmentJobs = pgTable('environment_jobs', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  siteId: uuid('site_id').notNull(),
  environmentId: uuid('environment_id').notNull(),
  // 1, 2, 3... per environment, like a CI run number.
  number: integer('number').notNull(),
  kind: text('kind', { enum: JOB_KINDS }).notNull(),
  status: text('status', { enum: JOB_STATUSES }).notNull().default('queued'),
  params: jsonb('params').notNull().default({}),
  steps: jsonb('steps').$type<JobStep[]>().notNull().default([]),
  error: text('error'),
  requestedBy: text('requested_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  // Written every few seconds while a worker runs the job; a stale one means its process died (server/jobs/recovery).
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('environment_jobs_env_number_idx').on(t.tenantId, t.environmentId, t.number),
  // One job at a time per environment, enforced by the database.
  uniqueIndex('environment_jobs_one_active_idx').on(t.tenantId, t.environmentId).where(sql`status in ('queued', 'running')`),
  foreignKey({ name: 'environment_jobs_env_fk', columns: [t.tenantId, t.environmentId], foreignColumns: [environments.tenantId, environments.id] }).onDelete('cascade'),
]);

export const tenantQuotas = pgTable('tenant_quotas', {
  tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
  maxEnvironments: integer('max_environments').notNull(),
  maxCpus: numeric('max_cpus', { mode: 'number' }).notNull(),
  maxMemoryMib: integer('max_memory_mib').notNull(),
  // Artifact storage (distinct content counted once); null: SWITCHYARD_QUOTA_STORAGE_MIB.
  maxStorageMib: integer('max_storage_mib'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// Container stats the sampler records every few seconds; pruned per environment to a bounded window (server/jobs/sampler).
export const environmentSamples = pgTable('environment_samples', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  environmentId: uuid('environment_id').notNull(),
  sampledAt: timestamp('sampled_at', { withTimezone: true }).notNull(),
  cpuPercent: doublePrecision('cpu_percent').notNull(),
  memoryBytes: bigint('memory_bytes', { mode: 'number' }).notNull(),
  memoryLimitBytes: bigint('memory_limit_bytes', { mode: 'number' }).notNull(),
}, (t) => [
  index('environment_samples_tenant_env_time_idx').on(t.tenantId, t.environmentId, t.sampledAt),
  foreignKey({ name: 'environment_samples_env_fk', columns: [t.tenantId, t.environmentId], foreignColumns: [environments.tenantId, environments.id] }).onDelete('cascade'),
]);

export type Environment = typeof environments.$inferSelect;
export type EnvironmentJob = typeof environmentJobs.$inferSelect;
export type EnvironmentSample = typeof environmentSamples.$inferSelect;
