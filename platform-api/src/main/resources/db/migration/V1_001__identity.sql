-- Identity and tenancy: users (mirrors of Keycloak accounts), tenants, their members, personal access tokens.

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    -- Keycloak "sub"; NULL until the first sign-in for users pre-created by the dev seed.
    subject        text UNIQUE,
    username       text NOT NULL UNIQUE,
    email          text,
    -- Last seen value of the realm role platform-admin (refreshed at every OIDC sign-in).
    platform_admin boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
    id         uuid PRIMARY KEY,
    -- The UNIQUE constraint is what makes concurrent creates of one name yield exactly one tenant.
    name       text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$' AND length(name) BETWEEN 2 AND 40),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('viewer', 'developer', 'admin', 'owner')),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE access_tokens (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    -- SHA-256 (hex) of the whole secret; the secret itself is never stored.
    secret_hash  text NOT NULL UNIQUE,
    -- First characters of the secret, shown in listings so users can tell tokens apart.
    display_hint text NOT NULL,
    scopes       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX access_tokens_user_idx ON access_tokens (user_id);

-- Audit entries keep names, not foreign keys, so history outlives deleted tenants, users and tokens.
CREATE TABLE audit_entries (
    id             bigserial PRIMARY KEY,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    tenant_name    text,
    actor_user_id  uuid,
    actor_username text,
    token_id       uuid,
    source_ip      text,
    action         text NOT NULL,
    target         text,
    details        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_entries_tenant_idx ON audit_entries (tenant_name, id DESC);
