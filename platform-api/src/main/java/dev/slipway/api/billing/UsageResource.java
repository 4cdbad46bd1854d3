package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.TenantAccess;
import dev.slipway.billing.rating.BillingPeriod;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** A tenant's metered usage and the running estimate of its open month; owners and admins only. */
@Path("/api/v1/tenants/{tenant}/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    @Inject
    TenantAccess access;

    @Inject
    UsageReports reports;

    /** {@code from}/{@code to}: ISO instants or dates (UTC midnight); default: the current month so far. */
    @GET
    public UsageReports.Summary usage(@PathParam("tenant") String tenant, @QueryParam("from") String from,
                                      @QueryParam("to") String to, @QueryParam("groupBy") String groupBy) {
        access.require(tenant, Role.ADMIN, Scope.READ);
        Instant now = Instant.now();
        Instant start = from == null ? BillingPeriod.containing(now).start() : instant("from", from);
        Instant end = to == null ? now : instant("to", to);
        return reports.summarize(tenant, start, end, groupBy(groupBy));
    }

    @GET
    @Path("/estimate")
    public InvoiceView estimate(@PathParam("tenant") String tenant) {
        access.require(tenant, Role.ADMIN, Scope.READ);
        return reports.estimate(tenant, Instant.now());
    }

    private static UsageReports.GroupBy groupBy(String value) {
        if (value == null) {
            return UsageReports.GroupBy.METER;
        }
        try {
            return UsageReports.GroupBy.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("groupBy", "must be one of app, meter, day");
        }
    }

    private static Instant instant(String field, String value) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC) : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidField(field, "'" + value + "' is neither an ISO-8601 instant nor a date (YYYY-MM-DD)");
        }
    }
}
