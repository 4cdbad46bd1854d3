-- Workers (hosts running host-engine), how they join, and what the scheduler has placed on them.
-- The wire protocol between a worker and the API is described in docs/worker-protocol.md.

-- One-time-or-few-times secrets a platform admin hands to a new host; only their SHA-256 is kept.
CREATE TABLE join_tokens (
    id          uuid PRIMARY KEY,
    token_hash  text NOT NULL UNIQUE,
    description text,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    -- NULL: unlimited until expiry or revocation.
    max_uses    integer CHECK (max_uses >= 1),
    uses        integer NOT NULL DEFAULT 0,
    revoked_at  timestamptz
);

CREATE TABLE workers (
    id              uuid PRIMARY KEY,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- SHA-256 of the worker's own credential (slw_...), issued once at join.
    credential_hash text NOT NULL UNIQUE,
    join_token_id   uuid REFERENCES join_tokens (id) ON DELETE SET NULL,
    -- Reported at hello: what the host offers to instances.
    cpu             numeric(8, 3) NOT NULL DEFAULT 0 CHECK (cpu >= 0),
    memory_mb       integer NOT NULL DEFAULT 0 CHECK (memory_mb >= 0),
    engine_version  text,
    -- ready: connected and schedulable | lost: silent past the timeout | draining: admin asked to empty it
    -- | removed: deregistered (credential no longer accepted)
    state           text NOT NULL DEFAULT 'lost' CHECK (state IN ('ready', 'lost', 'draining', 'removed')),
    -- Which API replica holds the worker's stream (NULL when disconnected), so only that one talks to it.
    connected_to    text,
    last_seen_at    timestamptz,
    joined_at       timestamptz NOT NULL DEFAULT now()
);

-- What the scheduler decided (desired_*) and what the worker last reported (the rest).
ALTER TABLE instances
    -- running: the worker should run it | stopped: the worker should stop and forget it (then the row goes)
    ADD COLUMN desired_state   text NOT NULL DEFAULT 'running' CHECK (desired_state IN ('running', 'stopped')),
    -- Container id on the worker, as reported.
    ADD COLUMN container_id    text,
    -- host:port the router connects to, as reported by the worker once the container runs.
    ADD COLUMN endpoint        text,
    -- The worker's health check passes (or the release has none and the process runs).
    ADD COLUMN healthy         boolean NOT NULL DEFAULT false,
    ADD COLUMN finished_at     timestamptz,
    -- The last lines the instance printed before its last exit (shown with crash-loop).
    ADD COLUMN last_log        jsonb,
    ADD COLUMN updated_at      timestamptz NOT NULL DEFAULT now();

ALTER TABLE instances ADD CONSTRAINT instances_worker_fk FOREIGN KEY (worker_id) REFERENCES workers (id);
ALTER TABLE instances ADD CONSTRAINT instances_state_check CHECK (state IN
    ('pending', 'assigned', 'pulling', 'starting', 'running', 'crash-loop', 'stopping', 'stopped', 'lost', 'failed'));
CREATE INDEX instances_worker_idx ON instances (worker_id) WHERE worker_id IS NOT NULL;
