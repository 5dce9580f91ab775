import { foreignKey, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customRoles, tenants, users } from './tenancy';

export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  // The first characters of the token, shown so people can tell tokens apart; never enough to use it.
  prefix: text('prefix').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  role: text('role'),
  customRoleId: uuid('custom_role_id'),
  createdBy: uuid('created_by').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [
  index('api_tokens_tenant_idx').on(t.tenantId, t.createdAt),
  foreignKey({ name: 'api_tokens_custom_role_fk', columns: [t.tenantId, t.customRoleId], foreignColumns: [customRoles.tenantId, customRoles.id] }),
]);

// Platform table: sign-in throttling is keyed by account and by address, before any tenant is known.
export const signInThrottles = pgTable('sign_in_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

export type ApiTokenRow = typeof apiTokens.$inferSelect;

