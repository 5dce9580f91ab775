import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Append-only: the app role may INSERT and SELECT only (see the RLS migration).
// tenant_id is null for platform events (sign-in failures, tenant creation by a platform operator).
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id'),
  occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
  actorType: text('actor_type').notNull(),
  actorId: text('actor_id'),
  actorLabel: text('actor_label').notNull(),
  action: text('action').notNull(),
  resourceType: text('resource_type').notNull(),
  resourceId: text('resource_id'),
  result: text('result').notNull(),
  sourceIp: text('source_ip'),
  userAgent: text('user_agent'),
  requestId: text('request_id'),
  changes: jsonb('changes').notNull().default({}),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [
  index('audit_log_tenant_time_idx').on(t.tenantId, t.occurredAt),
  index('audit_log_tenant_id_idx').on(t.tenantId, t.id),
]);

export type AuditRow = typeof auditLog.$inferSelect;
