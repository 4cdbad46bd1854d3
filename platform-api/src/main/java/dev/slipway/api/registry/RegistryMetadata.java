package dev.slipway.api.registry;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Repositories, blob links, manifests, tags and uploads in PostgreSQL. Plain SQL rather than entities: manifests
 * must round-trip byte-exact and most writes are idempotent upserts ({@code on conflict do nothing}), which SQL says
 * directly. Every method joins the caller's transaction (the data source is JTA-aware).
 */
@ApplicationScoped
public class RegistryMetadata {

    public record Repository(long id, String name, String tenant, boolean isPublic, Instant createdAt) {
    }

    public record Manifest(String digest, String mediaType, String artifactType, String subject, byte[] content,
            Instant pushedAt, String pushedBy) {
    }

    public record Reference(String digest, boolean isManifest, long size, String mediaType) {
    }

    public record Tag(String name, String digest, Instant updatedAt, String updatedBy) {
    }

    @Inject
    AgroalDataSource db;

    // --- repositories ---

    public Optional<Repository> repository(String name) {
        return queryOne("select id, name, tenant_name, is_public, created_at from registry_repositories where name = ?",
                RegistryMetadata::repositoryRow, name);
    }

    /** The repository, created private on first push; one round trip (a push pays for each one). */
    public Repository ensureRepository(String name, String tenant) {
        return queryOne("with created as (insert into registry_repositories (name, tenant_name, tenant_id)"
                + " values (?, ?, (select id from tenants where name = ?)) on conflict (name) do nothing"
                + " returning id, name, tenant_name, is_public, created_at)"
                + " select * from created union all select id, name, tenant_name, is_public, created_at"
                + " from registry_repositories where name = ? and not exists (select 1 from created)",
                RegistryMetadata::repositoryRow, name, tenant, tenant, name)
                // a concurrent first push inserted it after this statement's snapshot: it is visible now
                .or(() -> repository(name)).orElseThrow();
    }

    public List<Repository> repositoriesOfTenant(String tenant) {
        return query("select id, name, tenant_name, is_public, created_at from registry_repositories"
                + " where tenant_name = ? order by name", RegistryMetadata::repositoryRow, tenant);
    }

    /** Repositories that are public or belong to one of {@code tenants}, by name, after {@code last}. */
    public List<Repository> visibleRepositories(Collection<String> tenants, String contains, String last, int limit) {
        String sql = "select id, name, tenant_name, is_public, created_at from registry_repositories"
                + " where (is_public or tenant_name = any (?)) and name > ? and strpos(name, ?) > 0"
                + " order by name limit ?";
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", tenants.toArray()));
                ps.setString(2, last == null ? "" : last);
                ps.setString(3, contains == null ? "" : contains);
                ps.setInt(4, limit);
                return collect(ps, RegistryMetadata::repositoryRow);
            }
        });
    }

    public void setVisibility(long repositoryId, boolean isPublic) {
        update("update registry_repositories set is_public = ? where id = ?", isPublic, repositoryId);
    }

    // --- blobs ---

    public void linkBlob(long repositoryId, String digest) {
        update("insert into registry_repository_blobs (repository_id, digest) values (?, ?)"
                + " on conflict do nothing", repositoryId, digest);
    }

    /** The blob's size if the repository may serve it. */
    public Optional<Long> linkedBlobSize(long repositoryId, String digest) {
        return queryOne("select b.size from registry_repository_blobs l join registry_blobs b on b.digest = l.digest"
                + " where l.repository_id = ? and l.digest = ?", rs -> rs.getLong(1), repositoryId, digest);
    }

    public boolean unlinkBlob(long repositoryId, String digest) {
        return update("delete from registry_repository_blobs where repository_id = ? and digest = ?",
                repositoryId, digest) > 0;
    }

    /** Bytes of the unique blobs linked into the tenant's repositories. */
    public long tenantUsage(UUID tenantId) {
        return queryOne("select coalesce(sum(b.size), 0) from registry_blobs b where b.digest in ("
                + " select l.digest from registry_repository_blobs l join registry_repositories r"
                + " on r.id = l.repository_id where r.tenant_id = ?)", rs -> rs.getLong(1), tenantId).orElse(0L);
    }

    /** A tenant's stored bytes. */
    public record TenantStorage(UUID tenantId, String tenant, long bytes) {
    }

    /** Stored bytes (unique blobs linked into their repositories) of every tenant that stores any. */
    public List<TenantStorage> storageOfAllTenants() {
        return query("select t.id, t.name, sum(b.size) from (select distinct r.tenant_id, l.digest"
                + " from registry_repository_blobs l join registry_repositories r on r.id = l.repository_id) u"
                + " join registry_blobs b on b.digest = u.digest join tenants t on t.id = u.tenant_id"
                + " group by t.id, t.name order by t.name",
                rs -> new TenantStorage(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3)));
    }

    /** What a blob commit needs about a tenant and one blob, read in one round trip. */
    public record QuotaState(UUID tenantId, boolean holdsBlob, Long quotaBytes, long usedBytes, boolean linkedHere) {
    }

    /**
     * Records a committed blob (idempotent) and reads, in the same round trip, the tenant named {@code tenant}
     * (locked until the transaction ends, so that concurrent pushes of one tenant are checked one after the other;
     * a key-share-compatible lock, so foreign keys to it still work), whether its repositories already hold the
     * blob, its own quota if set, the bytes it stores, and whether repository {@code repositoryId} links the blob.
     */
    public Optional<QuotaState> recordBlobAndLockQuotaState(long repositoryId, String tenant, String digest,
            long size) {
        return queryOne("with recorded as (insert into registry_blobs (digest, size) values (?, ?)"
                + " on conflict (digest) do nothing)"
                + " select t.id,"
                + " exists (select 1 from registry_repository_blobs l join registry_repositories r"
                + "   on r.id = l.repository_id where r.tenant_id = t.id and l.digest = ?),"
                + " (select max_bytes from registry_tenant_quotas q where q.tenant_id = t.id),"
                + " (select coalesce(sum(b.size), 0) from registry_blobs b where b.digest in (select l.digest"
                + "   from registry_repository_blobs l join registry_repositories r on r.id = l.repository_id"
                + "   where r.tenant_id = t.id)),"
                + " exists (select 1 from registry_repository_blobs l where l.repository_id = ? and l.digest = ?)"
                + " from tenants t where t.name = ? for no key update of t",
                rs -> new QuotaState(rs.getObject(1, UUID.class), rs.getBoolean(2),
                        rs.getObject(3) == null ? null : rs.getLong(3), rs.getLong(4), rs.getBoolean(5)),
                digest, size, digest, repositoryId, digest, tenant);
    }

    public Optional<Long> quotaOf(UUID tenantId) {
        return queryOne("select max_bytes from registry_tenant_quotas where tenant_id = ?", rs -> rs.getLong(1),
                tenantId);
    }

    public void setQuota(UUID tenantId, long maxBytes) {
        update("insert into registry_tenant_quotas (tenant_id, max_bytes) values (?, ?) on conflict (tenant_id)"
                + " do update set max_bytes = excluded.max_bytes, updated_at = now()", tenantId, maxBytes);
    }

    public void clearQuota(UUID tenantId) {
        update("delete from registry_tenant_quotas where tenant_id = ?", tenantId);
    }

    // --- uploads ---

    public void createUpload(String id, long repositoryId) {
        update("insert into registry_uploads (id, repository_id) values (?, ?)", id, repositoryId);
    }

    public boolean uploadBelongsTo(String id, long repositoryId) {
        return queryOne("select 1 from registry_uploads where id = ? and repository_id = ?", rs -> true, id,
                repositoryId).isPresent();
    }

    /** Removes the upload if it belongs to the repository; whether it did. */
    public boolean claimUpload(String id, long repositoryId) {
        return update("delete from registry_uploads where id = ? and repository_id = ?", id, repositoryId) > 0;
    }

    public void deleteUpload(String id) {
        update("delete from registry_uploads where id = ?", id);
    }

    // --- manifests and tags ---

    public boolean putManifest(long repositoryId, Manifest m, List<Reference> references) {
        int inserted = update("insert into registry_manifests (repository_id, digest, media_type, artifact_type,"
                + " subject_digest, content, pushed_by) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
                repositoryId, m.digest(), m.mediaType(), m.artifactType(), m.subject(), m.content(), m.pushedBy());
        if (inserted > 0 && !references.isEmpty()) {
            // one batch, one round trip, however many layers the manifest names
            withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("insert into registry_manifest_references"
                        + " (repository_id, manifest_digest, digest, is_manifest, size, media_type, position)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")) {
                    int position = 0;
                    for (Reference r : references) {
                        ps.setLong(1, repositoryId);
                        ps.setString(2, m.digest());
                        ps.setString(3, r.digest());
                        ps.setBoolean(4, r.isManifest());
                        ps.setLong(5, r.size());
                        ps.setString(6, r.mediaType());
                        ps.setInt(7, position++);
                        ps.addBatch();
                    }
                    return ps.executeBatch();
                }
            });
        }
        return inserted > 0;
    }

    /** The first of {@code references} the repository lacks (a blob it does not link, a manifest it lacks), if any. */
    public Optional<Reference> firstMissing(long repositoryId, List<Reference> references) {
        if (references.isEmpty()) {
            return Optional.empty();
        }
        String sql = "select r.n from unnest(?::text[], ?::boolean[]) with ordinality as r(digest, is_manifest, n)"
                + " where not case when r.is_manifest"
                + " then exists (select 1 from registry_manifests m where m.repository_id = ? and m.digest = r.digest)"
                + " else exists (select 1 from registry_repository_blobs l join registry_blobs b on b.digest = l.digest"
                + " where l.repository_id = ? and l.digest = r.digest) end order by r.n limit 1";
        List<Long> missing = withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", references.stream().map(Reference::digest).toArray()));
                ps.setArray(2, c.createArrayOf("boolean", references.stream().map(Reference::isManifest).toArray()));
                ps.setLong(3, repositoryId);
                ps.setLong(4, repositoryId);
                return collect(ps, rs -> rs.getLong(1));
            }
        });
        return missing.stream().findFirst().map(n -> references.get((int) (n - 1)));
    }

    public Optional<Manifest> manifest(long repositoryId, String digest) {
        return queryOne("select digest, media_type, artifact_type, subject_digest, content, pushed_at, pushed_by"
                + " from registry_manifests where repository_id = ? and digest = ?", RegistryMetadata::manifestRow,
                repositoryId, digest);
    }

    public boolean manifestExists(long repositoryId, String digest) {
        return queryOne("select 1 from registry_manifests where repository_id = ? and digest = ?", rs -> true,
                repositoryId, digest).isPresent();
    }

    public List<Reference> references(long repositoryId, String manifestDigest) {
        return query("select digest, is_manifest, size, media_type from registry_manifest_references"
                + " where repository_id = ? and manifest_digest = ? order by position",
                rs -> new Reference(rs.getString(1), rs.getBoolean(2), rs.getLong(3), rs.getString(4)),
                repositoryId, manifestDigest);
    }

    public boolean deleteManifest(long repositoryId, String digest) {
        return update("delete from registry_manifests where repository_id = ? and digest = ?", repositoryId,
                digest) > 0;
    }

    /** Manifests in the repository whose {@code subject} is {@code digest}, optionally of one artifact type. */
    public List<Manifest> referrers(long repositoryId, String digest, String artifactType) {
        return query("select digest, media_type, artifact_type, subject_digest, content, pushed_at, pushed_by"
                + " from registry_manifests where repository_id = ? and subject_digest = ?"
                + " and (? is null or artifact_type = ?) order by digest", RegistryMetadata::manifestRow,
                repositoryId, digest, artifactType, artifactType);
    }

    public void putTag(long repositoryId, String tag, String digest, String by) {
        update("insert into registry_tags (repository_id, name, digest, updated_by) values (?, ?, ?, ?)"
                + " on conflict (repository_id, name) do update set digest = excluded.digest,"
                + " updated_at = now(), updated_by = excluded.updated_by", repositoryId, tag, digest, by);
    }

    public Optional<String> tagDigest(long repositoryId, String tag) {
        return queryOne("select digest from registry_tags where repository_id = ? and name = ?",
                rs -> rs.getString(1), repositoryId, tag);
    }

    public boolean deleteTag(long repositoryId, String tag) {
        return update("delete from registry_tags where repository_id = ? and name = ?", repositoryId, tag) > 0;
    }

    public List<Tag> tags(long repositoryId, String last, int limit) {
        return query("select name, digest, updated_at, updated_by from registry_tags where repository_id = ?"
                + " and name > ? order by name limit ?",
                rs -> new Tag(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4)),
                repositoryId, last == null ? "" : last, limit);
    }

    // --- garbage collection ---

    /** Untagged manifests older than {@code before} that no other manifest of the repository references. */
    public int deleteUntaggedManifests(Instant before) {
        return update("delete from registry_manifests m where m.pushed_at < ?"
                + " and not exists (select 1 from registry_tags t where t.repository_id = m.repository_id"
                + " and t.digest = m.digest)"
                + " and not exists (select 1 from registry_manifest_references r where r.repository_id ="
                + " m.repository_id and r.digest = m.digest and r.is_manifest)"
                + " and not (m.subject_digest is not null and exists (select 1 from registry_manifests s"
                + " where s.repository_id = m.repository_id and s.digest = m.subject_digest))",
                Timestamp.from(before));
    }

    /** Drops links of blobs older than {@code before} that no manifest of their repository references. */
    public int unlinkUnreferencedBlobs(Instant before) {
        return update("delete from registry_repository_blobs l where l.linked_at < ?"
                + " and not exists (select 1 from registry_manifest_references r where r.repository_id ="
                + " l.repository_id and r.digest = l.digest)", Timestamp.from(before));
    }

    /** Blobs no repository links any more and committed before {@code before}: safe to delete from storage. */
    public List<String> orphanBlobs(Instant before) {
        return query("select b.digest from registry_blobs b where b.committed_at < ? and not exists"
                + " (select 1 from registry_repository_blobs l where l.digest = b.digest)",
                rs -> rs.getString(1), Timestamp.from(before));
    }

    /** Forgets an orphan blob unless a repository linked it meanwhile; returns whether it was forgotten. */
    public boolean forgetOrphanBlob(String digest) {
        return update("delete from registry_blobs b where b.digest = ? and not exists"
                + " (select 1 from registry_repository_blobs l where l.digest = b.digest)", digest) > 0;
    }

    public List<String> staleUploads(Instant before) {
        return query("select id from registry_uploads where started_at < ?", rs -> rs.getString(1),
                Timestamp.from(before));
    }

    // --- plumbing ---

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static Repository repositoryRow(ResultSet rs) throws SQLException {
        return new Repository(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                rs.getTimestamp(5).toInstant());
    }

    private static Manifest manifestRow(ResultSet rs) throws SQLException {
        return new Manifest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                rs.getTimestamp(6).toInstant(), rs.getString(7));
    }

    private <T> T withConnection(Work<T> work) {
        try (Connection c = db.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("registry database error: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... args) {
        return withConnection(c -> {
            try (PreparedStatement ps = prepare(c, sql, args)) {
                return ps.executeUpdate();
            }
        });
    }

    private <T> List<T> query(String sql, Row<T> row, Object... args) {
        return withConnection(c -> {
            try (PreparedStatement ps = prepare(c, sql, args)) {
                return collect(ps, row);
            }
        });
    }

    private <T> Optional<T> queryOne(String sql, Row<T> row, Object... args) {
        List<T> all = query(sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private static <T> List<T> collect(PreparedStatement ps, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row.map(rs));
            }
        }
        return out;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof String s) {
                ps.setString(i + 1, s);
            } else if (a == null) {
                ps.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                ps.setObject(i + 1, a);
            }
        }
        return ps;
    }
}
