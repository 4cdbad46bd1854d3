package dev.slipway.billing.rating;

import dev.slipway.billing.Meter;
import dev.slipway.billing.Money;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One priced quantity: the units of one meter that fell into one tier (or the free allowance) of one
 * plan during {@code [from, to)}. {@code amount} is {@code quantity x unitPrice} rounded once, half-even,
 * to the currency's minor unit.
 */
public record InvoiceLine(String planId, Meter meter, Instant from, Instant to, String description,
                          BigDecimal quantity, BigDecimal unitPrice, Money amount) {
}
