-- Billing rows are keyed by the tenant's immutable id; the name column stays as the name at the time. Without the
-- id a tenant created under a deleted tenant's name would inherit its usage, plan history and invoices.
-- No foreign key: financial records outlive the tenant.
ALTER TABLE billing_plan_assignments ADD COLUMN tenant_id uuid;
ALTER TABLE usage_records ADD COLUMN tenant_id uuid;
ALTER TABLE invoices ADD COLUMN tenant_id uuid;

UPDATE billing_plan_assignments b SET tenant_id = t.id FROM tenants t WHERE t.name = b.tenant;
UPDATE usage_records u SET tenant_id = t.id FROM tenants t WHERE t.name = u.tenant;
-- invoices are immutable (trigger); the backfill is the one sanctioned change
ALTER TABLE invoices DISABLE TRIGGER invoices_immutable;
UPDATE invoices i SET tenant_id = t.id FROM tenants t WHERE t.name = i.tenant;
ALTER TABLE invoices ENABLE TRIGGER invoices_immutable;

ALTER TABLE billing_plan_assignments DROP CONSTRAINT billing_plan_assignments_tenant_effective_from_key;
ALTER TABLE billing_plan_assignments ADD CONSTRAINT billing_plan_assignments_tenant_id_effective_from_key
    UNIQUE (tenant_id, effective_from);
ALTER TABLE invoices DROP CONSTRAINT invoices_tenant_period_key;
ALTER TABLE invoices ADD CONSTRAINT invoices_tenant_id_period_key UNIQUE (tenant_id, period);

CREATE INDEX usage_records_tenant_id_idx ON usage_records (tenant_id, interval_start);
