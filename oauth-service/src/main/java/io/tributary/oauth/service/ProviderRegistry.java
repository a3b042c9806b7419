package io.tributary.oauth.service;

import io.tributary.kit.problem.ProblemException;
import io.tributary.oauth.config.OAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The OAuth providers this deployment is configured for. */
@ApplicationScoped
public class ProviderRegistry {

    private final OAuthConfig config;

    public ProviderRegistry(OAuthConfig config) {
        this.config = config;
    }

    /** The provider's settings, or a 422 problem when this deployment cannot connect it through OAuth. */
    public OAuthConfig.ProviderSettings require(String provider) {
        OAuthConfig.ProviderSettings settings = config.providers().get(provider);
        if (settings == null) {
            throw ProblemException.unprocessable(provider + " is not connected through OAuth");
        }
        if (settings.clientId().isEmpty()) {
            throw ProblemException.unprocessable(provider + " is not configured on this deployment (no client id)");
        }
        return settings;
    }

    public Optional<OAuthConfig.ProviderSettings> find(String provider) {
        return Optional.ofNullable(config.providers().get(provider));
    }

    public boolean takesApiKeys(String provider) {
        return config.apiKeyProviders().contains(provider);
    }
}
