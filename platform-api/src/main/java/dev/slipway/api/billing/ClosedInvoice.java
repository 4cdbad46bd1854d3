package dev.slipway.api.billing;

import dev.slipway.billing.rating.Invoice;

import java.time.Instant;
import java.util.UUID;

/** A final invoice as stored: the rated {@link Invoice} plus its identity, number and closing time. */
public record ClosedInvoice(UUID id, String number, Instant closedAt, Invoice invoice) {
}
