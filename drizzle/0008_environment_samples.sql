CREATE TABLE "environment_samples" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "environment_samples_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"cpu_percent" double precision NOT NULL,
	"memory_bytes" bigint NOT NULL,
	"memory_limit_bytes" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "environment_samples" ADD CONSTRAINT "environment_samples_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_samples" ADD CONSTRAINT "environment_samples_env_fk" FOREIGN KEY ("tenant_id","environment_id") REFERENCES "public"."environments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "environment_samples_tenant_env_time_idx" ON "environment_samples" USING btree ("tenant_id","environment_id","sampled_at");--> statement-breakpoint
-- Samples are tenant rows: RLS enabled and FORCED with the same policy as 0003.
ALTER TABLE environment_samples ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE environment_samples FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON environment_samples USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant());
--> statement-breakpoint
-- The default privileges of 0001 already cover these; stated so the table's access reads in one place.
GRANT SELECT, INSERT, UPDATE, DELETE ON environment_samples TO switchyard_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON SEQUENCE environment_samples_id_seq TO switchyard_app;
