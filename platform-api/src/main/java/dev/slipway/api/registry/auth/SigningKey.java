package dev.slipway.api.registry.auth;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The HMAC key registry tokens are signed with. The first replica to need it generates it and stores it in
 * PostgreSQL ({@code on conflict do nothing} settles a race), so a token issued by one replica is accepted by all.
 */
@ApplicationScoped
public class SigningKey {

    @Inject
    AgroalDataSource db;

    private volatile byte[] secret;

    public byte[] secret() {
        byte[] s = secret;
        if (s == null) {
            s = loadOrCreate();
            secret = s;
        }
        return s;
    }

    private byte[] loadOrCreate() {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into registry_signing_keys (id, secret) values (1, ?) on conflict (id) do nothing")) {
                ps.setBytes(1, fresh);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("select secret from registry_signing_keys where id = 1");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load the registry signing key: " + e.getMessage(), e);
        }
    }
}
