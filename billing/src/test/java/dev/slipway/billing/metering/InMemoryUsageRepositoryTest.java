package dev.slipway.billing.metering;

class InMemoryUsageRepositoryTest extends UsageRepositoryContract {
    @Override
    protected UsageRepository repository() {
        return new InMemoryUsageRepository();
    }
}
