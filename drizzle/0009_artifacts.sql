CREATE TABLE "artifact_deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"job_id" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"error" text,
	"deployed_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "artifact_objects" (
	"tenant_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"referenced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artifact_objects_pkey" PRIMARY KEY("tenant_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "artifact_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"artifact_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"content_type" text NOT NULL,
	"filename" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artifact_versions_tenant_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "artifacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"site_id" uuid,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artifacts_tenant_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "backup_schedules" (
	"tenant_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"every_hours" integer NOT NULL,
	"keep_last" integer,
	"keep_days" integer,
	"next_run_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backup_schedules_pkey" PRIMARY KEY("tenant_id","environment_id")
);
--> statement-breakpoint
ALTER TABLE "artifact_deployments" ADD CONSTRAINT "artifact_deployments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifact_deployments" ADD CONSTRAINT "artifact_deployments_version_fk" FOREIGN KEY ("tenant_id","version_id") REFERENCES "public"."artifact_versions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifact_deployments" ADD CONSTRAINT "artifact_deployments_env_fk" FOREIGN KEY ("tenant_id","environment_id") REFERENCES "public"."environments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifact_objects" ADD CONSTRAINT "artifact_objects_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifact_versions" ADD CONSTRAINT "artifact_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifact_versions" ADD CONSTRAINT "artifact_versions_artifact_fk" FOREIGN KEY ("tenant_id","artifact_id") REFERENCES "public"."artifacts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifact_versions" ADD CONSTRAINT "artifact_versions_object_fk" FOREIGN KEY ("tenant_id","sha256") REFERENCES "public"."artifact_objects"("tenant_id","sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_site_fk" FOREIGN KEY ("tenant_id","site_id") REFERENCES "public"."sites"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_schedules" ADD CONSTRAINT "backup_schedules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backup_schedules" ADD CONSTRAINT "backup_schedules_env_fk" FOREIGN KEY ("tenant_id","environment_id") REFERENCES "public"."environments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "artifact_deployments_version_idx" ON "artifact_deployments" USING btree ("tenant_id","version_id","created_at");--> statement-breakpoint
CREATE INDEX "artifact_deployments_env_idx" ON "artifact_deployments" USING btree ("tenant_id","environment_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "artifact_versions_number_idx" ON "artifact_versions" USING btree ("tenant_id","artifact_id","number");--> statement-breakpoint
CREATE INDEX "artifact_versions_sha_idx" ON "artifact_versions" USING btree ("tenant_id","sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "artifacts_tenant_name_idx" ON "artifacts" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "artifacts_tenant_site_idx" ON "artifacts" USING btree ("tenant_id","site_id");--> statement-breakpoint
CREATE INDEX "backup_schedules_due_idx" ON "backup_schedules" USING btree ("next_run_at");--> statement-breakpoint
-- The artifact store's tables are tenant rows: RLS enabled and FORCED with the same policy as 0003.
ALTER TABLE artifacts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE artifacts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON artifacts USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE artifact_objects ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE artifact_objects FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON artifact_objects USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE artifact_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE artifact_versions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON artifact_versions USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE artifact_deployments ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE artifact_deployments FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON artifact_deployments USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
ALTER TABLE backup_schedules ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE backup_schedules FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON backup_schedules USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
-- Background work (garbage collection, scheduled backups) visits tenants one at a time, inside withTenant; these
-- answer only which tenants to visit, running as the owner, never their rows.
CREATE FUNCTION artifact_store_tenants() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT id FROM tenants $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION artifact_store_tenants() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION artifact_store_tenants() TO switchyard_app;
--> statement-breakpoint
CREATE FUNCTION due_backup_schedules(at timestamptz) RETURNS TABLE (tenant_id uuid, environment_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
  $$ SELECT tenant_id, environment_id FROM backup_schedules WHERE next_run_at <= at ORDER BY next_run_at $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION due_backup_schedules(timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION due_backup_schedules(timestamptz) TO switchyard_app;
--> statement-breakpoint
-- Only the table's owner (who runs due_backup_schedules()) reads every tenant's schedule rows, as 0006 does.
CREATE POLICY schedule_census ON backup_schedules FOR SELECT
  USING (current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.backup_schedules'::regclass));
