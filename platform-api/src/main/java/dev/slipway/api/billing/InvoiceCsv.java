package dev.slipway.api.billing;

import dev.slipway.billing.rating.Invoice;
import dev.slipway.billing.rating.InvoiceLine;

/**
 * An invoice as CSV (RFC 4180, CRLF line ends): a header, one row per line, then a row {@code total}.
 * Amounts are in major units with the currency's decimals, quantities exact.
 */
final class InvoiceCsv {

    static final String HEADER = "invoice,period,plan,meter,unit,from,to,description,quantity,unit_price,amount,currency";

    private InvoiceCsv() {
    }

    static String render(ClosedInvoice closed) {
        Invoice invoice = closed.invoice();
        String currency = invoice.currency().getCurrencyCode();
        var out = new StringBuilder(HEADER).append("\r\n");
        for (InvoiceLine l : invoice.lines()) {
            row(out, closed.number(), invoice.period().toString(), l.planId(), l.meter().wire(), l.meter().unit(),
                    l.from().toString(), l.to().toString(), l.description(), InvoiceView.plain(l.quantity()),
                    InvoiceView.plain(l.unitPrice()), l.amount().toMajor().toPlainString(), currency);
        }
        row(out, closed.number(), invoice.period().toString(), "", "", "", "", "", "total", "", "",
                invoice.total().toMajor().toPlainString(), currency);
        return out.toString();
    }

    private static void row(StringBuilder out, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            String f = fields[i];
            boolean quote = f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0;
            out.append(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
        }
        out.append("\r\n");
    }
}
