package io.tributary.kit.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * The caller, as the subject of their bearer token (services set
 * {@code quarkus.oidc.token.principal-claim=sub}). Every query of user data is scoped to it.
 */
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;

    public CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The token's subject; a token without one identifies nobody and is refused, never read as "no filter". */
    public String id() {
        String subject = identity.isAnonymous() ? null : identity.getPrincipal().getName();
        if (subject == null || subject.isBlank()) {
            throw new UnauthorizedException();
        }
        return subject;
    }
}
