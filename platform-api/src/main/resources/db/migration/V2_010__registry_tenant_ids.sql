-- Registry usage and quotas belong to the tenant's immutable id, not its reusable name: a tenant created under a
-- deleted tenant's name must start with the default quota and no stored bytes.

ALTER TABLE registry_repositories ADD COLUMN tenant_id uuid REFERENCES tenants (id);
UPDATE registry_repositories r SET tenant_id = t.id FROM tenants t WHERE t.name = r.tenant_name;
CREATE INDEX registry_repositories_tenant_id ON registry_repositories (tenant_id);

-- Replaces registry_quotas (keyed by name). Deleting the tenant deletes its quota.
CREATE TABLE registry_tenant_quotas (
    tenant_id  uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    max_bytes  bigint NOT NULL CHECK (max_bytes >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO registry_tenant_quotas (tenant_id, max_bytes)
    SELECT t.id, q.max_bytes FROM registry_quotas q JOIN tenants t ON t.name = q.tenant_name;
DROP TABLE registry_quotas;
