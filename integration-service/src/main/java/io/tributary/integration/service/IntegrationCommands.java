package io.tributary.integration.service;

import io.tributary.integration.SyncFrequency;

import java.util.Map;

/** What a user asks to create or change; validated against the catalogue by {@link IntegrationService}. */
public final class IntegrationCommands {

    private IntegrationCommands() {
    }

    public record Create(String name, String provider, Map<String, Object> config, Map<String, Object> metadata,
            SyncFrequency syncFrequency) {
    }

    /** A full replacement of what a user may change; the provider and type never change. */
    public record Update(String name, Map<String, Object> config, Map<String, Object> metadata,
            SyncFrequency syncFrequency) {
    }
}
