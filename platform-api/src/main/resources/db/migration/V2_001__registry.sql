-- Registry metadata. Blob bytes live in the BlobStore; everything that says who may see what lives here.

create table registry_repositories (
    id          bigserial primary key,
    name        text        not null unique,          -- <tenant>/<name>[/<name>...]
    tenant_name text        not null,
    is_public   boolean     not null default false,
    created_at  timestamptz not null default now()
);
create index registry_repositories_tenant on registry_repositories (tenant_name);

-- Every committed blob once, whatever the number of repositories using it.
create table registry_blobs (
    digest       text        primary key,
    size         bigint      not null,
    committed_at timestamptz not null default now()
);

-- Which blobs a repository may serve: pushed into it or mounted from another readable repository.
create table registry_repository_blobs (
    repository_id bigint      not null references registry_repositories (id) on delete cascade,
    digest        text        not null references registry_blobs (digest),
    linked_at     timestamptz not null default now(),
    primary key (repository_id, digest)
);
create index registry_repository_blobs_digest on registry_repository_blobs (digest);

-- Manifests byte-exact, with the media type they were pushed with.
create table registry_manifests (
    repository_id  bigint      not null references registry_repositories (id) on delete cascade,
    digest         text        not null,
    media_type     text        not null,
    artifact_type  text,
    subject_digest text,
    content        bytea       not null,
    pushed_at      timestamptz not null default now(),
    pushed_by      text,
    primary key (repository_id, digest)
);
create index registry_manifests_subject on registry_manifests (repository_id, subject_digest);

-- What a manifest needs: its config and layers (blobs) or its child manifests.
create table registry_manifest_references (
    repository_id   bigint  not null,
    manifest_digest text    not null,
    digest          text    not null,
    is_manifest     boolean not null,
    size            bigint  not null,
    media_type      text,
    position        int     not null,
    primary key (repository_id, manifest_digest, position),
    foreign key (repository_id, manifest_digest) references registry_manifests (repository_id, digest) on delete cascade
);
create index registry_manifest_references_digest on registry_manifest_references (digest);

create table registry_tags (
    repository_id bigint      not null references registry_repositories (id) on delete cascade,
    name          text        not null,
    digest        text        not null,
    updated_at    timestamptz not null default now(),
    updated_by    text,
    primary key (repository_id, name),
    foreign key (repository_id, digest) references registry_manifests (repository_id, digest) on delete cascade
);

-- Open uploads: the bytes are in the BlobStore's upload area; this row says whose they are.
create table registry_uploads (
    id            text        primary key,
    repository_id bigint      not null references registry_repositories (id) on delete cascade,
    started_at    timestamptz not null default now()
);

-- The HMAC key for registry bearer tokens, created once and shared by all API replicas.
create table registry_signing_keys (
    id         int         primary key,
    secret     bytea       not null,
    created_at timestamptz not null default now()
);

-- Per-tenant storage limit; tenants without a row get the configured default.
create table registry_quotas (
    tenant_name text   primary key,
    max_bytes   bigint not null
);
