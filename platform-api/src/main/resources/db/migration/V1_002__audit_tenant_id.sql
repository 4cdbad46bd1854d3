-- Tenant names can be reused after a tenant is deleted, so the name alone would show a new tenant the old one's
-- trail. Entries keep the name as it was and gain the tenant's immutable id (no foreign key: entries outlive
-- the tenant). Entries of tenants already deleted keep a null id and so belong to no current tenant.
ALTER TABLE audit_entries ADD COLUMN tenant_id uuid;
UPDATE audit_entries a SET tenant_id = t.id FROM tenants t WHERE t.name = a.tenant_name;
CREATE INDEX audit_entries_tenant_id_idx ON audit_entries (tenant_id, id DESC);
