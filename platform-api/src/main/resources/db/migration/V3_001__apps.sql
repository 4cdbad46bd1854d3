-- Apps, their releases and config: the desired state that the scheduler and reconciler (later) make real.

CREATE TABLE apps (
    id                 uuid PRIMARY KEY,
    -- No cascade: AppsDeletionGuard refuses to delete a tenant that still has apps.
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    -- A DNS label: the app is served at <app>.<tenant>.<apps domain>.
    name               text NOT NULL CHECK (name ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' AND length(name) BETWEEN 2 AND 40),
    desired_replicas   integer NOT NULL DEFAULT 0 CHECK (desired_replicas BETWEEN 0 AND 100),
    -- The newest release (what the platform should run); NULL until the first deployment.
    current_release_id uuid,
    -- Highest release number handed out; bumped under the app's row lock, so numbers have no gaps.
    last_release       integer NOT NULL DEFAULT 0,
    -- Bumped by POST .../restart; the reconciler replaces instances started under an older generation.
    restart_generation integer NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

CREATE TABLE releases (
    id               uuid PRIMARY KEY,
    app_id           uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    version          integer NOT NULL CHECK (version >= 1),
    -- The image reference exactly as the deployer wrote it.
    image            text NOT NULL,
    -- sha256:... the reference resolved to; NULL until registry resolution exists (unless the reference pins one).
    image_digest     text CHECK (image_digest ~ '^sha256:[a-f0-9]{64}$'),
    command          jsonb,
    env              jsonb NOT NULL DEFAULT '{}'::jsonb,
    port             integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
    replicas         integer NOT NULL CHECK (replicas BETWEEN 0 AND 100),
    cpu              numeric(6, 3) NOT NULL CHECK (cpu BETWEEN 0.05 AND 16),
    memory_mb        integer NOT NULL CHECK (memory_mb BETWEEN 16 AND 65536),
    pids             integer NOT NULL CHECK (pids BETWEEN 16 AND 65536),
    health_path      text,
    health_interval  integer,
    health_timeout   integer,
    -- For rollbacks: the version whose spec this release copies.
    rollback_of      integer,
    -- pending | running | failed | superseded: the only column that may change after insert.
    status           text NOT NULL DEFAULT 'pending',
    status_reason    text,
    created_by       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (app_id, version)
);

-- Releases are immutable: only status and its reason move (set by the reconciler once it exists).
CREATE FUNCTION releases_immutable() RETURNS trigger AS $$
BEGIN
    IF (NEW.id, NEW.app_id, NEW.version, NEW.image, NEW.command, NEW.env, NEW.port, NEW.replicas, NEW.cpu,
        NEW.memory_mb, NEW.pids, NEW.health_path, NEW.health_interval, NEW.health_timeout, NEW.rollback_of,
        NEW.created_by, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.app_id, OLD.version, OLD.image, OLD.command, OLD.env, OLD.port, OLD.replicas, OLD.cpu,
        OLD.memory_mb, OLD.pids, OLD.health_path, OLD.health_interval, OLD.health_timeout, OLD.rollback_of,
        OLD.created_by, OLD.created_at)
       OR (OLD.image_digest IS NOT NULL AND NEW.image_digest IS DISTINCT FROM OLD.image_digest) THEN
        RAISE EXCEPTION 'releases are immutable (release % of app %)', OLD.version, OLD.app_id;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER releases_immutable BEFORE UPDATE ON releases
    FOR EACH ROW EXECUTE FUNCTION releases_immutable();

ALTER TABLE apps ADD CONSTRAINT apps_current_release_fk
    FOREIGN KEY (current_release_id) REFERENCES releases (id) DEFERRABLE INITIALLY DEFERRED;

-- App config: environment variables applied to every instance; secret values are never returned by the API.
CREATE TABLE app_config (
    app_id uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    key    text NOT NULL CHECK (key ~ '^[A-Za-z_][A-Za-z0-9_]*$'),
    value  text NOT NULL,
    secret boolean NOT NULL DEFAULT false,
    PRIMARY KEY (app_id, key)
);

-- Running copies of a release. Written by the scheduler/reconciler (not yet built); the API only reads them.
CREATE TABLE instances (
    id                 uuid PRIMARY KEY,
    app_id             uuid NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    release_id         uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    worker_id          uuid,
    -- pending | starting | running | crash-loop | stopping | stopped
    state              text NOT NULL DEFAULT 'pending',
    state_reason       text,
    restart_generation integer NOT NULL DEFAULT 0,
    restarts           integer NOT NULL DEFAULT 0,
    last_exit_code     integer,
    oom_killed         boolean NOT NULL DEFAULT false,
    started_at         timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX instances_app_idx ON instances (app_id);

-- Per-tenant quota overrides set by platform admins; a NULL column means the platform default.
CREATE TABLE tenant_quotas (
    tenant_id     uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    max_instances integer CHECK (max_instances >= 0),
    max_cpu       numeric(8, 3) CHECK (max_cpu >= 0),
    max_memory_mb integer CHECK (max_memory_mb >= 0)
);
