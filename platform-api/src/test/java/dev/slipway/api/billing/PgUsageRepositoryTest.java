package dev.slipway.api.billing;

import dev.slipway.api.testsupport.Db;
import dev.slipway.billing.metering.UsageRepository;
import dev.slipway.billing.metering.UsageRepositoryContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;

/** The UsageRepository contract against the real PostgreSQL schema. */
@QuarkusTest
class PgUsageRepositoryTest extends UsageRepositoryContract {

    @Inject
    PgUsageRepository repository;

    @Override
    protected UsageRepository repository() {
        return repository;
    }

    @Override
    protected void registerTenant(String name) {
        Db.update("INSERT INTO tenants (id, name) VALUES (?, ?)", UUID.randomUUID(), name);
    }
}
