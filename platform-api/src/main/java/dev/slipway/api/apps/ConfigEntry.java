package dev.slipway.api.apps;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** One environment variable of an app's config; a secret one is stored but never shown through the API. */
@Entity
@Table(name = "app_config")
@IdClass(ConfigEntry.Key.class)
public class ConfigEntry extends PanacheEntityBase {

    /** The composite primary key (app, variable name). */
    public static class Key implements Serializable {
        public UUID appId;
        public String key;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Objects.equals(appId, other.appId) && Objects.equals(key, other.key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(appId, key);
        }
    }

    @Id
    @Column(name = "app_id")
    public UUID appId;

    @Id
    public String key;

    @Column(nullable = false)
    public String value;

    @Column(nullable = false)
    public boolean secret;

    static List<ConfigEntry> ofApp(UUID appId) {
        return list("appId = ?1 order by key", appId);
    }
}
