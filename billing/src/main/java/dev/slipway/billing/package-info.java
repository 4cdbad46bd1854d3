/** Meters, plans, rating and invoices. */
package dev.slipway.billing;
