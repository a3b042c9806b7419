package io.tributary.oauth.service;

import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import io.tributary.oauth.client.ProviderException;

/** How a provider's refusal or failure is told to our caller. */
final class ProviderProblems {

    private ProviderProblems() {
    }

    static ProblemException of(ProviderException e) {
        return switch (e.kind()) {
            case INVALID_GRANT -> ProblemException.invalid("code",
                    "the provider refused the authorization (invalid_grant); start the authorization again");
            case REJECTED -> ProblemException.unprocessable("The provider refused the request: " + e.getMessage());
            case UNAVAILABLE -> new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "The provider is not answering; try again shortly");
        };
    }
}
