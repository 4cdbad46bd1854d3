-- Billing: plans, tenants' plan history, metered usage, closed invoices.
-- Tenants are referenced by name without a foreign key (like audit_entries): usage and invoices are
-- financial records that must outlive a deleted tenant.

-- A plan never changes once published (new prices = new plan), so closed invoices can be re-rated.
-- definition: {"components":[{"meter","freeAllowance","tiers":[{"upTo","unitPrice"}]}],"hardLimits":{meter: qty}}
-- with decimals as strings, exactly as the API's plan documents.
CREATE TABLE billing_plans (
    id         text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,31}$'),
    name       text NOT NULL,
    currency   char(3) NOT NULL,
    definition jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Seeded plans; dev.slipway.billing.rating.StandardPlans holds the same and a test compares them.
INSERT INTO billing_plans (id, name, currency, definition) VALUES
('free', 'Free', 'USD', '{"components":[
  {"meter":"vcpu_seconds","freeAllowance":"180000","tiers":[{"upTo":null,"unitPrice":"0"}]},
  {"meter":"memory_gb_seconds","freeAllowance":"360000","tiers":[{"upTo":null,"unitPrice":"0"}]},
  {"meter":"registry_storage_gb_hours","freeAllowance":"720","tiers":[{"upTo":null,"unitPrice":"0"}]},
  {"meter":"build_minutes","freeAllowance":"120","tiers":[{"upTo":null,"unitPrice":"0"}]}],
 "hardLimits":{"vcpu_seconds":"180000","memory_gb_seconds":"360000","registry_storage_gb_hours":"720","build_minutes":"120"}}'),
('pro', 'Pro', 'USD', '{"components":[
  {"meter":"vcpu_seconds","freeAllowance":"180000","tiers":[{"upTo":"2592000","unitPrice":"0.000012"},{"upTo":null,"unitPrice":"0.000010"}]},
  {"meter":"memory_gb_seconds","freeAllowance":"360000","tiers":[{"upTo":null,"unitPrice":"0.0000015"}]},
  {"meter":"registry_storage_gb_hours","freeAllowance":"720","tiers":[{"upTo":null,"unitPrice":"0.00014"}]},
  {"meter":"build_minutes","freeAllowance":"120","tiers":[{"upTo":null,"unitPrice":"0.005"}]}],
 "hardLimits":{}}');

-- A tenant with no row is on 'free' from the beginning; each row starts a plan at effective_from.
CREATE TABLE billing_plan_assignments (
    id             bigserial PRIMARY KEY,
    tenant         text NOT NULL,
    plan_id        text NOT NULL REFERENCES billing_plans (id),
    effective_from timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant, effective_from)
);

-- One row per measurement; the unique key is what makes re-ingesting a report a no-op.
CREATE TABLE usage_records (
    id              bigserial PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE,
    tenant          text NOT NULL,
    app             text,
    instance        text NOT NULL,
    meter           text NOT NULL,
    quantity        numeric NOT NULL CHECK (quantity >= 0),
    interval_start  timestamptz NOT NULL,
    interval_end    timestamptz NOT NULL CHECK (interval_end >= interval_start),
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_records_tenant_idx ON usage_records (tenant, interval_start);

-- Counters of the last accepted report per instance (see UsageMeter); updated by compare-and-set.
CREATE TABLE usage_cursors (
    instance        text PRIMARY KEY,
    observed_at     timestamptz NOT NULL,
    cpu_usage_nanos bigint NOT NULL,
    running_nanos   bigint NOT NULL,
    ended           boolean NOT NULL
);

-- Gapless platform-wide invoice numbers: the row lock serialises closers until they commit, and a closer
-- that rolls back gives its number back.
CREATE TABLE invoice_number_counter (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last     bigint NOT NULL
);
INSERT INTO invoice_number_counter (last) VALUES (0);

CREATE TABLE invoices (
    id          uuid PRIMARY KEY,
    tenant      text NOT NULL,
    period      char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
    number      text NOT NULL UNIQUE,
    currency    char(3) NOT NULL,
    total_minor bigint NOT NULL,
    status      text NOT NULL CHECK (status = 'final'),
    closed_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant, period)
);

CREATE TABLE invoice_lines (
    invoice_id   uuid NOT NULL REFERENCES invoices (id),
    position     int NOT NULL,
    plan_id      text NOT NULL,
    meter        text NOT NULL,
    line_from    timestamptz NOT NULL,
    line_to      timestamptz NOT NULL,
    description  text NOT NULL,
    quantity     numeric NOT NULL,
    unit_price   numeric NOT NULL,
    amount_minor bigint NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

-- Final invoices are immutable: the database itself refuses to change or delete them.
CREATE FUNCTION billing_refuse_invoice_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'invoices are immutable once final (%)', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_invoice_change();
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION billing_refuse_invoice_change();
