-- Environments, their jobs, port allocations and quotas are tenant rows: RLS enabled and FORCED, as in 0001.
ALTER TABLE environments ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE environments FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON environments USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE environment_jobs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE environment_jobs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON environment_jobs USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE port_allocations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE port_allocations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON port_allocations USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE tenant_quotas ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenant_quotas FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenant_quotas USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
-- The owner (through taken_host_ports below) may read port numbers of every tenant; the app role never can.
CREATE POLICY port_census ON port_allocations FOR SELECT USING (current_user <> 'switchyard_app');
--> statement-breakpoint
-- Allocation must know which host ports any tenant holds, without seeing their rows: this answers port numbers
-- only, running as the owner. Callers serialise on an advisory lock, so two allocations never pick the same port.
CREATE FUNCTION taken_host_ports(low integer, high integer) RETURNS SETOF integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT host_port FROM port_allocations WHERE host_port BETWEEN low AND high $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION taken_host_ports(integer, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION taken_host_ports(integer, integer) TO switchyard_app;
