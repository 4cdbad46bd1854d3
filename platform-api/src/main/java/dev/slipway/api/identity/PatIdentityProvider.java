package dev.slipway.api.identity;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** Turns a verified personal access token into a security identity carrying its {@link TokenPrincipal}. */
@ApplicationScoped
public class PatIdentityProvider implements IdentityProvider<PatAuthenticationRequest> {

    static final String TOKEN_ATTRIBUTE = "slipway.token";

    @Inject
    TokenService tokens;

    @Inject
    UserDirectory users;

    @Override
    public Class<PatAuthenticationRequest> getRequestType() {
        return PatAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(PatAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            Optional<TokenPrincipal> principal = request.username() == null ? tokens.verify(request.secret())
                    : tokens.verifyBasic(request.username(), request.secret());
            TokenPrincipal token = principal.orElseThrow(
                    () -> new AuthenticationFailedException("unknown, expired or revoked token"));
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(token.username()))
                    .addAttribute(TOKEN_ATTRIBUTE, token);
            if (token.scopes().contains(Scope.ADMIN) && users.isPlatformAdmin(token.userId())) {
                identity.addRole(CurrentCaller.PLATFORM_ADMIN_ROLE);
            }
            return identity.build();
        });
    }
}
