package dev.slipway.api.billing;

import dev.slipway.billing.metering.InstanceReport;
import dev.slipway.billing.metering.UsageMeter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.temporal.ChronoUnit;

/**
 * Where worker statistics enter billing. The deploy/worker part calls {@link #ingest} for every instance
 * report it receives (any replica, any order, any number of times) and {@link #end} when an instance stops
 * or its worker is declared lost. Each call commits on its own; it may also run inside the caller's
 * transaction.
 */
@ApplicationScoped
public class UsageIngestion {

    private static final Logger LOG = Logger.getLogger(UsageIngestion.class);

    private final UsageMeter meter;

    @Inject
    public UsageIngestion(PgUsageRepository repository) {
        this.meter = new UsageMeter(repository);
    }

    public UsageMeter.Result ingest(InstanceReport report) {
        // PostgreSQL keeps microseconds: truncate first, so a duplicate compares equal to the stored cursor
        InstanceReport stored = new InstanceReport(report.tenant(), report.app(), report.instance(),
                report.observedAt().truncatedTo(ChronoUnit.MICROS), report.cpuUsageNanos(), report.memoryBytes(),
                report.cpuLimit(), report.memoryLimitBytes(), report.running());
        UsageMeter.Result result = meter.ingest(stored);
        LOG.debugf("usage report tenant=%s app=%s instance=%s at=%s: %s", report.tenant(), report.app(),
                report.instance(), stored.observedAt(), result.outcome());
        return result;
    }

    public void end(String instance) {
        meter.end(instance);
    }
}
