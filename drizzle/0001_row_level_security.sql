-- Row-level security is the wall between tenants. The app connects as switchyard_app, which owns nothing and has
-- no BYPASSRLS; every tenant table is FORCED so even its owner obeys the policies unless it bypasses RLS.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchyard_app') THEN
    CREATE ROLE switchyard_app NOLOGIN NOBYPASSRLS;
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION app_current_tenant() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app_current_user() RETURNS uuid LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app_is_platform() RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT coalesce(current_setting('app.platform', true), '') = 'on' $$;
--> statement-breakpoint
ALTER TABLE sites ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sites FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON sites USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE custom_roles ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE custom_roles FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON custom_roles USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON memberships USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
-- A signed-in user may see their own memberships in every tenant, to choose a tenant.
CREATE POLICY member_self_read ON memberships FOR SELECT USING (user_id = app_current_user());
--> statement-breakpoint
ALTER TABLE site_grants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE site_grants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON site_grants USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
CREATE POLICY grantee_self_read ON site_grants FOR SELECT USING (user_id = app_current_user());
--> statement-breakpoint
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON invitations USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
-- Whoever holds an invitation's secret may read that one invitation (its hash is the key), nothing else.
CREATE POLICY invitation_by_secret ON invitations FOR SELECT USING (token_hash = current_setting('app.invitation_hash', true));
--> statement-breakpoint
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON api_tokens USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
CREATE POLICY token_by_secret ON api_tokens FOR SELECT USING (token_hash = current_setting('app.token_hash', true));
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON audit_log FOR SELECT USING (tenant_id = app_current_tenant() OR (tenant_id IS NULL AND app_is_platform()));
--> statement-breakpoint
CREATE POLICY tenant_append ON audit_log FOR INSERT WITH CHECK (tenant_id = app_current_tenant() OR tenant_id IS NULL);
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO switchyard_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO switchyard_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO switchyard_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO switchyard_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO switchyard_app;
--> statement-breakpoint
-- The audit trail is append-only for the app.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM switchyard_app;
--> statement-breakpoint
GRANT USAGE ON SCHEMA drizzle TO switchyard_app;
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO switchyard_app;
