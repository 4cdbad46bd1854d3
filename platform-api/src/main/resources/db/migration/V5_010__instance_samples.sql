-- Workers' per-instance stats samples (docs/worker-protocol.md, "stats"): metering measures usage between
-- consecutive samples, and the metrics API charts them. Kept for slipway.metering.retention, then pruned.
-- No foreign key to instances: a stopped instance's row goes, its last hour of samples stays for the charts.
CREATE TABLE instance_samples (
    instance_id        uuid        NOT NULL,
    at                 timestamptz NOT NULL,
    app_id             uuid        NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    worker_id          uuid        NOT NULL,
    -- When the container (re)started: counters are cumulative since then.
    started_at         timestamptz NOT NULL,
    cpu_usage_nanos    bigint      NOT NULL CHECK (cpu_usage_nanos >= 0),
    memory_bytes       bigint      NOT NULL CHECK (memory_bytes >= 0),
    memory_limit_bytes bigint      NOT NULL CHECK (memory_limit_bytes >= 0),
    pids               integer     NOT NULL CHECK (pids >= 0),
    PRIMARY KEY (instance_id, at)
);
CREATE INDEX instance_samples_app_at ON instance_samples (app_id, at);
CREATE INDEX instance_samples_at ON instance_samples (at);
