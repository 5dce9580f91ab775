ALTER TABLE "tenants" ADD COLUMN "cache_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Every write to what a cached read may hold moves its tenant's cache_version, in the writer's own transaction: a
-- reader that sees the old number also sees the old rows. last_used_at alone (written by token use) does not.
-- The row triggers are deferred to commit, so the tenant row is locked only then, after every row lock the
-- transaction takes: taken at the write, it deadlocked two changes to one member (a removal and a role change).
CREATE FUNCTION bump_tenant_cache_version() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN -- TRUNCATE names no tenant
    UPDATE tenants SET cache_version = cache_version + 1;
  ELSIF TG_OP = 'INSERT' THEN
    UPDATE tenants SET cache_version = cache_version + 1 WHERE id = NEW.tenant_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE tenants SET cache_version = cache_version + 1 WHERE id = OLD.tenant_id;
  ELSE
    UPDATE tenants SET cache_version = cache_version + 1 WHERE id IN (OLD.tenant_id, NEW.tenant_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER sites_cache_version AFTER INSERT OR UPDATE OR DELETE ON sites DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER memberships_cache_version AFTER INSERT OR UPDATE OR DELETE ON memberships DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER site_grants_cache_version AFTER INSERT OR UPDATE OR DELETE ON site_grants DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER custom_roles_cache_version AFTER INSERT OR UPDATE OR DELETE ON custom_roles DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER api_tokens_cache_version AFTER INSERT OR DELETE ON api_tokens DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER api_tokens_cache_version_update AFTER UPDATE ON api_tokens DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at')) EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE TRIGGER sites_cache_version_truncate AFTER TRUNCATE ON sites FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE TRIGGER memberships_cache_version_truncate AFTER TRUNCATE ON memberships FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE TRIGGER site_grants_cache_version_truncate AFTER TRUNCATE ON site_grants FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE TRIGGER custom_roles_cache_version_truncate AFTER TRUNCATE ON custom_roles FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_cache_version();
--> statement-breakpoint
CREATE TRIGGER api_tokens_cache_version_truncate AFTER TRUNCATE ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION bump_tenant_cache_version();
