-- environment_census (0005) let every role but switchyard_app read all environments; an app login role that is only
-- a member of switchyard_app would have matched. Only the table's owner (who runs environment_census()) reads all.
DROP POLICY environment_census ON environments;
--> statement-breakpoint
CREATE POLICY environment_census ON environments FOR SELECT
  USING (current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.environments'::regclass));
