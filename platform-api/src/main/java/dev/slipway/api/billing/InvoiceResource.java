package dev.slipway.api.billing;

import dev.slipway.api.error.ApiException;
import dev.slipway.api.identity.Role;
import dev.slipway.api.identity.Scope;
import dev.slipway.api.identity.TenantAccess;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.UUID;

/**
 * A tenant's final invoices; owners and admins only. One invoice comes as JSON, CSV or PDF, chosen by the
 * {@code Accept} header, or by {@code ?format=json|csv|pdf} for links that cannot set headers.
 */
@Path("/api/v1/tenants/{tenant}/invoices")
public class InvoiceResource {

    static final String CSV = "text/csv";
    static final String PDF = "application/pdf";

    @Inject
    TenantAccess access;

    @Inject
    InvoiceBook book;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<InvoiceView.Summary> list(@PathParam("tenant") String tenant) {
        access.require(tenant, Role.ADMIN, Scope.READ);
        return book.list(tenant).stream().map(InvoiceView.Summary::of).toList();
    }

    @GET
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, CSV, PDF})
    public Response get(@PathParam("tenant") String tenant, @PathParam("id") String id,
                        @QueryParam("format") String format, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        access.require(tenant, Role.ADMIN, Scope.READ);
        ClosedInvoice invoice = book.find(tenant, parse(id)).orElseThrow(() -> notFound(id));
        return switch (format == null ? fromAccept(accept) : format) {
            case "csv" -> Response.ok(InvoiceCsv.render(invoice), CSV + "; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + invoice.number() + ".csv\"").build();
            case "pdf" -> Response.ok(InvoicePdf.render(invoice), PDF)
                    .header("Content-Disposition", "inline; filename=\"" + invoice.number() + ".pdf\"").build();
            case "json" -> Response.ok(InvoiceView.of(invoice), MediaType.APPLICATION_JSON).build();
            default -> throw ApiException.invalidField("format", "must be one of json, csv, pdf");
        };
    }

    /** The first of our types the client lists; JSON when it accepts anything. */
    private static String fromAccept(String accept) {
        if (accept != null) {
            for (String part : accept.split(",")) {
                String type = part.split(";")[0].trim();
                if (type.equals(CSV)) {
                    return "csv";
                }
                if (type.equals(PDF)) {
                    return "pdf";
                }
                if (type.equals(MediaType.APPLICATION_JSON)) {
                    return "json";
                }
            }
        }
        return "json";
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("INVOICE_NOT_FOUND", "no invoice '" + id + "' in this tenant");
    }
}
