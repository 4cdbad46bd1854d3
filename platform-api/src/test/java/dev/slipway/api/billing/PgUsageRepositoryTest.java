package dev.slipway.api.billing;

import dev.slipway.billing.metering.UsageRepository;
import dev.slipway.billing.metering.UsageRepositoryContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The UsageRepository contract against the real PostgreSQL schema. */
@QuarkusTest
class PgUsageRepositoryTest extends UsageRepositoryContract {

    @Inject
    PgUsageRepository repository;

    @Override
    protected UsageRepository repository() {
        return repository;
    }
}
