package io.tributary.oauth.service;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Another service calling {@code /internal/**} with a client-credentials token; checks its scopes. */
@RequestScoped
public class ServiceCaller {

    public static final String READ = "credentials:read";
    public static final String WRITE = "credentials:write";

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public ServiceCaller(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    /** 401 without a valid token, 403 when the token lacks the scope. */
    public void require(String scope) {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        if (!scopes().contains(scope)) {
            throw new ForbiddenException();
        }
    }

    private Set<String> scopes() {
        Object claim = token.getClaim("scope");
        if (claim == null) {
            return Set.of();
        }
        String text = claim.toString().replace("\"", "");
        return Arrays.stream(text.split(" ")).filter(part -> !part.isBlank()).collect(Collectors.toSet());
    }
}
