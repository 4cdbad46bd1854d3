package dev.slipway.api.billing;

import dev.slipway.api.testsupport.Api;
import dev.slipway.api.testsupport.TestUser;
import dev.slipway.billing.Meter;
import dev.slipway.billing.Money;
import dev.slipway.billing.rating.BillingPeriod;
import dev.slipway.billing.rating.StandardPlans;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.slipway.api.billing.BillingFixtures.report;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a month: one final invoice per tenant, numbered without gaps, the same after closing again, and
 * readable as JSON, CSV and PDF. A month two months back is used because it can always be closed.
 */
@QuarkusTest
class InvoiceApiTest {

    @Inject
    UsageIngestion ingestion;

    @Inject
    InvoiceClosing closing;

    @Inject
    PlanHistory plans;

    @Inject
    DataSource dataSource;

    private static final BillingPeriod MONTH = BillingPeriod.containing(Instant.now()).previous().previous();

    /** 20 days of one 0.5 vCPU / 128 MiB instance in MONTH, reported twice, with a duplicate. */
    private void runTwentyDays(String tenant, String instance) {
        Instant day10 = MONTH.start().plus(Duration.ofDays(10));
        ingestion.ingest(report(tenant, instance, day10, 864_000));
        ingestion.ingest(report(tenant, instance, day10.plus(Duration.ofDays(10)), 1_728_000));
        ingestion.ingest(report(tenant, instance, day10.plus(Duration.ofDays(10)), 1_728_000));
    }

    @Test
    void monthIsClosedOnceWithSequentialNumbersAndServedAsJsonCsvAndPdf() throws Exception {
        TestUser owner = TestUser.create("inv-owner");
        String tenant = Api.createTenant(owner, "inv");
        String second = Api.createTenant(owner, "inv2");
        plans.assign(tenant, "pro", MONTH.start().minusSeconds(86400)); // set-up: on pro since before MONTH
        runTwentyDays(tenant, "web-inv-" + UUID.randomUUID());
        runTwentyDays(second, "web-inv2-" + UUID.randomUUID());

        List<ClosedInvoice> closed = closing.close(MONTH, Instant.now());
        ClosedInvoice mine = closed.stream().filter(c -> c.invoice().tenant().equals(tenant)).findFirst().orElseThrow();
        ClosedInvoice theirs = closed.stream().filter(c -> c.invoice().tenant().equals(second)).findFirst().orElseThrow();
        assertEquals(1, Math.abs(number(mine) - number(theirs)), "numbers are consecutive");

        // 0.5 vCPU x 1,728,000 s = 864,000 vCPU-s; 180,000 included; 684,000 x 0.000012 = 8.208 -> 8.21
        BigDecimal tierPrice = StandardPlans.pro().component(Meter.VCPU_SECONDS).orElseThrow().tiers().getFirst().unitPrice();
        assertEquals(Money.roundedFrom(new BigDecimal("684000").multiply(tierPrice), StandardPlans.USD), mine.invoice().total());
        assertEquals(new BigDecimal("8.21"), mine.invoice().total().toMajor());
        assertEquals("0.00", theirs.invoice().total().toMajor().toPlainString(), "the free plan costs nothing");

        // closing again, and usage that arrives late for the closed month, change nothing
        assertTrue(closing.close(MONTH, Instant.now()).stream().noneMatch(c -> c.invoice().tenant().equals(tenant)));
        ingestion.ingest(report(tenant, "web-late-" + UUID.randomUUID(), MONTH.start().plus(Duration.ofDays(25)), 86_400));
        closing.close(MONTH, Instant.now());

        String base = "/api/v1/tenants/" + tenant + "/invoices";
        owner.api().get(base).then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].id", equalTo(mine.id().toString()))
                .body("[0].number", equalTo(mine.number()))
                .body("[0].number", matchesPattern("SLP-\\d{6}"))
                .body("[0].period", equalTo(MONTH.toString()))
                .body("[0].status", equalTo("final"))
                .body("[0].total", equalTo("8.21"));

        owner.api().get(base + "/" + mine.id()).then().statusCode(200)
                .body("number", equalTo(mine.number()))
                .body("currency", equalTo("USD"))
                .body("total", equalTo("8.21"))
                .body("lines.size()", equalTo(3))
                .body("lines[0].meter", equalTo("vcpu_seconds"))
                .body("lines[0].quantity", equalTo("180000"))
                .body("lines[0].amount", equalTo("0.00"))
                .body("lines[1].quantity", equalTo("684000"))
                .body("lines[1].unitPrice", equalTo("0.000012"))
                .body("lines[1].amount", equalTo("8.21"))
                .body("lines[2].meter", equalTo("memory_gb_seconds"))
                .body("lines[2].quantity", equalTo("216000"));

        String csv = owner.api().accept("text/csv").get(base + "/" + mine.id())
                .then().statusCode(200).contentType(matchesPattern("text/csv.*")).extract().asString();
        List<String> rows = csv.lines().toList();
        assertEquals(InvoiceCsv.HEADER, rows.getFirst());
        assertEquals(5, rows.size());
        assertTrue(rows.get(2).startsWith(mine.number() + "," + MONTH + ",pro,vcpu_seconds,vCPU-second,"), rows.get(2));
        assertTrue(rows.get(2).endsWith(",684000,0.000012,8.21,USD"), rows.get(2));
        assertEquals(mine.number() + "," + MONTH + ",,,,,,total,,,8.21,USD", rows.get(4));

        byte[] pdf = owner.api().accept("application/pdf").get(base + "/" + mine.id())
                .then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertTrue(text.contains("Slipway invoice " + mine.number()), text);
            assertTrue(text.contains("684000 vCPU-second x 0.000012 = 8.21 USD"), text);
            assertTrue(text.contains("Total: 8.21 USD"), text);
        }
        owner.api().queryParam("format", "pdf").get(base + "/" + mine.id()).then().statusCode(200).contentType("application/pdf");
        owner.api().queryParam("format", "xml").get(base + "/" + mine.id()).then().statusCode(400)
                .body("error.code", equalTo("INVALID_FIELD"));
    }

    @Test
    void finalInvoicesCannotBeChangedEvenInTheDatabase() throws SQLException {
        TestUser owner = TestUser.create("imm-owner");
        String tenant = Api.createTenant(owner, "imm");
        runTwentyDays(tenant, "web-imm-" + UUID.randomUUID());
        closing.close(MONTH, Instant.now());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.executeUpdate(
                    "UPDATE invoices SET total_minor = 0 WHERE tenant = '" + tenant + "'"));
            assertThrows(SQLException.class, () -> s.executeUpdate(
                    "DELETE FROM invoice_lines WHERE invoice_id IN (SELECT id FROM invoices WHERE tenant = '" + tenant + "')"));
        }
    }

    @Test
    void anOpenMonthCannotBeClosed() {
        BillingPeriod current = BillingPeriod.containing(Instant.now());
        assertThrows(IllegalArgumentException.class, () -> closing.close(current, Instant.now()));
    }

    private static long number(ClosedInvoice invoice) {
        return Long.parseLong(invoice.number().substring("SLP-".length()));
    }
}
