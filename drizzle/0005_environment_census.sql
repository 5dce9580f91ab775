-- Metrics count environments of every tenant by status and stage; the app role may not read other tenants' rows.
-- environment_census() answers counts only, running as the owner, whose reads of environments this policy allows
-- (the table is FORCED, so the owner obeys policies too; the app role is never matched).
CREATE POLICY environment_census ON environments FOR SELECT USING (current_user <> 'switchyard_app');
--> statement-breakpoint
CREATE FUNCTION environment_census() RETURNS TABLE (status text, stage text, environments integer)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT e.status, e.stage, count(*)::integer FROM environments e WHERE e.removed_at IS NULL GROUP BY e.status, e.stage $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION environment_census() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION environment_census() TO switchyard_app;
