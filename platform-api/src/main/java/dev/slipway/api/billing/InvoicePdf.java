package dev.slipway.api.billing;

import dev.slipway.billing.rating.Invoice;
import dev.slipway.billing.rating.InvoiceLine;

import java.util.ArrayList;

/** An invoice laid out as a printable PDF: heading, one line per invoice line, total. */
final class InvoicePdf {

    private InvoicePdf() {
    }

    static byte[] render(ClosedInvoice closed) {
        Invoice invoice = closed.invoice();
        String currency = invoice.currency().getCurrencyCode();
        var lines = new ArrayList<PdfDocument.TextLine>();
        lines.add(new PdfDocument.TextLine("Slipway invoice " + closed.number(), 18, true));
        lines.add(new PdfDocument.TextLine("Tenant: " + invoice.tenant() + "    Period: " + invoice.period()
                + " (UTC)    Closed: " + closed.closedAt(), 10, false));
        lines.add(new PdfDocument.TextLine("", 10, false));
        for (InvoiceLine l : invoice.lines()) {
            lines.add(new PdfDocument.TextLine(l.description(), 10, true));
            lines.add(new PdfDocument.TextLine("    " + l.from() + " - " + l.to() + ":  "
                    + InvoiceView.plain(l.quantity()) + " " + l.meter().unit() + " x " + InvoiceView.plain(l.unitPrice())
                    + " = " + l.amount().toMajor().toPlainString() + " " + currency, 9, false));
        }
        lines.add(new PdfDocument.TextLine("", 10, false));
        lines.add(new PdfDocument.TextLine("Total: " + invoice.total().toMajor().toPlainString() + " " + currency, 14, true));
        return PdfDocument.render(lines);
    }
}
