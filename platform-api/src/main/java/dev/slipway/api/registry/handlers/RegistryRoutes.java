package dev.slipway.api.registry.handlers;

import dev.slipway.api.registry.RegistryError;
import dev.slipway.api.registry.RegistryException;
import dev.slipway.api.registry.auth.RegistryAuthenticator;
import dev.slipway.api.registry.auth.RepositoryNames;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code /v2/} router. Repository names contain slashes, so the path is matched here against the spec's
 * endpoint table (as distribution's router does) and handed to the handler of that resource.
 */
@Path("/v2")
public class RegistryRoutes {

    private static final Pattern BLOB = Pattern.compile("(.+)/blobs/([a-z0-9]+:[a-zA-Z0-9]+)");
    private static final Pattern UPLOADS = Pattern.compile("(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("(.+)/blobs/uploads/([^/]+)");
    private static final Pattern MANIFEST = Pattern.compile("(.+)/manifests/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("(.+)/tags/list");
    private static final Pattern REFERRERS = Pattern.compile("(.+)/referrers/([^/]+)");

    @Inject
    RegistryAuthenticator auth;
    @Inject
    BaseHandler base;
    @Inject
    TokenHandler token;
    @Inject
    CatalogHandler catalog;
    @Inject
    BlobHandler blobs;
    @Inject
    BlobUploadHandler uploads;
    @Inject
    ManifestHandler manifests;
    @Inject
    TagsHandler tags;
    @Inject
    ReferrersHandler referrers;

    @Context
    HttpHeaders headers;
    @Context
    UriInfo uri;
    @Context
    HttpServerRequest http;

    @GET
    public Response root() {
        return base.check(request(null));
    }

    @GET
    @Path("{path: .*}")
    public Response get(@PathParam("path") String path) {
        return read(path, false);
    }

    @HEAD
    @Path("{path: .*}")
    public Response head(@PathParam("path") String path) {
        return read(path, true);
    }

    private Response read(String path, boolean headOnly) {
        if (path.isEmpty()) {
            return base.check(request(null));
        }
        if (path.equals("token")) {
            return token.issue(headers.getHeaderString(HttpHeaders.AUTHORIZATION), uri.getQueryParameters(),
                    host());
        }
        if (path.equals("_catalog")) {
            return catalog.list(request(null));
        }
        Matcher m;
        if ((m = BLOB.matcher(path)).matches()) {
            return blobs.get(request(m.group(1)), m.group(2), headOnly);
        }
        if ((m = UPLOAD.matcher(path)).matches()) {
            return uploads.status(request(m.group(1)), m.group(2));
        }
        if ((m = MANIFEST.matcher(path)).matches()) {
            return manifests.get(request(m.group(1)), m.group(2), headOnly);
        }
        if ((m = TAGS.matcher(path)).matches()) {
            return tags.list(request(m.group(1)));
        }
        if ((m = REFERRERS.matcher(path)).matches()) {
            return referrers.list(request(m.group(1)), m.group(2));
        }
        throw notFound(path);
    }

    @POST
    @Path("{path: .*}")
    public Response post(@PathParam("path") String path, InputStream body) {
        Matcher m = UPLOADS.matcher(path);
        if (m.matches()) {
            return uploads.start(request(m.group(1)), body);
        }
        throw notFound(path);
    }

    @PATCH
    @Path("{path: .*}")
    public Response patch(@PathParam("path") String path, InputStream body) {
        Matcher m = UPLOAD.matcher(path);
        if (m.matches()) {
            return uploads.append(request(m.group(1)), m.group(2), body);
        }
        throw notFound(path);
    }

    @PUT
    @Path("{path: .*}")
    public Response put(@PathParam("path") String path, InputStream body) {
        Matcher m;
        if ((m = UPLOAD.matcher(path)).matches()) {
            return uploads.finish(request(m.group(1)), m.group(2), body);
        }
        if ((m = MANIFEST.matcher(path)).matches()) {
            return manifests.put(request(m.group(1)), m.group(2), body);
        }
        throw notFound(path);
    }

    @DELETE
    @Path("{path: .*}")
    public Response delete(@PathParam("path") String path) {
        Matcher m;
        if ((m = UPLOAD.matcher(path)).matches()) {
            return uploads.cancel(request(m.group(1)), m.group(2));
        }
        if ((m = BLOB.matcher(path)).matches()) {
            return blobs.delete(request(m.group(1)), m.group(2));
        }
        if ((m = MANIFEST.matcher(path)).matches()) {
            return manifests.delete(request(m.group(1)), m.group(2));
        }
        throw notFound(path);
    }

    private RegistryRequest request(String repository) {
        String host = host();
        if (repository != null) {
            RepositoryNames.check(repository);
        }
        RegistryAuthenticator.Caller caller = auth.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                host);
        String ip = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return new RegistryRequest(repository, caller, host, ip, headers, uri.getQueryParameters());
    }

    private String host() {
        String h = headers.getHeaderString("Host");
        return h == null ? "localhost:8080" : h;
    }

    private static RegistryException notFound(String path) {
        return new RegistryException(RegistryError.NAME_UNKNOWN, 404, "no registry endpoint at /v2/" + path,
                java.util.Map.of(), java.util.Map.of());
    }
}
