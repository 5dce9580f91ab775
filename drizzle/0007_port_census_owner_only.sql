-- port_census (0003) let every role but switchyard_app read all port rows; an app login role that is only a member
-- of switchyard_app would have matched. Only the table's owner (who runs taken_host_ports()) reads them all.
DROP POLICY port_census ON port_allocations;
--> statement-breakpoint
CREATE POLICY port_census ON port_allocations FOR SELECT
  USING (current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.port_allocations'::regclass));
