package dev.slipway.api.identity;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Accepts personal access tokens on {@code /api/}: {@code Authorization: Bearer slp_...} or basic auth with the
 * token as password. It runs before quarkus-oidc (higher priority) and passes on everything else, so Keycloak JWTs
 * still reach OIDC. {@code /v2/} and {@code /git/} are left to their own handlers, which call
 * {@link TokenService#verifyBasic} themselves.
 */
@ApplicationScoped
public class PatAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";
    private static final String BASIC = "Basic ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !context.normalizedPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem();
        }
        if (header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String secret = header.substring(BEARER.length()).trim();
            return secret.startsWith(TokenService.PREFIX) ? authenticate(context, identities,
                    new PatAuthenticationRequest(null, secret)) : Uni.createFrom().nullItem();
        }
        if (header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().failure(new AuthenticationFailedException("malformed basic credentials"));
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Uni.createFrom().failure(new AuthenticationFailedException("malformed basic credentials"));
            }
            return authenticate(context, identities,
                    new PatAuthenticationRequest(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        return Uni.createFrom().nullItem();
    }

    private static Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities,
            PatAuthenticationRequest request) {
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate",
                "Bearer realm=\"slipway\", Basic realm=\"slipway\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(PatAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000;
    }
}
