package io.tributary.bank.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.SyncRunRepository;
import io.tributary.contracts.event.WebhookReceived;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;

/**
 * Plaid's webhooks (shared/providers.md 2.1), verified by webhook-gateway, applied inside the
 * inbox's transaction: new transactions queue an incremental run of the Item's connection, and the
 * Item's troubles move the connection's state. A webhook for an Item this service does not know
 * (removed, another deployment's) is left alone.
 */
@ApplicationScoped
public class PlaidWebhooks {

    /** Transaction webhooks that mean "there is something new to sync"; the older codes come from Items made before /transactions/sync. */
    private static final Set<String> UPDATES = Set.of("SYNC_UPDATES_AVAILABLE", "DEFAULT_UPDATE", "INITIAL_UPDATE",
            "HISTORICAL_UPDATE", "TRANSACTIONS_REMOVED");

    private final SyncRunRepository runs;

    public PlaidWebhooks(SyncRunRepository runs) {
        this.runs = runs;
    }

    /** Answers whether a run was queued (and the workers should be woken). */
    public Uni<Boolean> apply(WebhookReceived webhook) {
        if (!"plaid".equals(webhook.provider()) || webhook.payload() == null) {
            return Uni.createFrom().item(false);
        }
        JsonNode payload = webhook.payload();
        String type = payload.path("webhook_type").asText("");
        String code = payload.path("webhook_code").asText("");
        String itemId = payload.path("item_id").asText("");
        if (itemId.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return runs.plaidConnection(itemId).flatMap(connection -> {
            if (connection == null) {
                Log.infof("Plaid %s.%s for an Item with no active connection here; ignored", type, code);
                return Uni.createFrom().item(false);
            }
            if ("TRANSACTIONS".equals(type) && UPDATES.contains(code)) {
                // a run already queued or under way for the connection reads these updates too, or the next one will
                return runs.enqueue(UUID.randomUUID(), connection.id(), null,
                        connection.cursor() == null ? "initial" : "webhook", "incremental");
            }
            if (!"ITEM".equals(type)) {
                return Uni.createFrom().item(false);
            }
            return switch (code) {
                case "ERROR" -> runs.connectionTrouble(connection.id(),
                        "ITEM_LOGIN_REQUIRED".equals(payload.path("error").path("error_code").asText()),
                        "Plaid reported " + payload.path("error").path("error_code").asText("an Item error"), null)
                        .replaceWith(false);
                case "LOGIN_REPAIRED" -> runs.loginRepaired(connection.id()).replaceWith(false);
                case "PENDING_EXPIRATION" -> runs.connectionTrouble(connection.id(), false,
                        "the user's consent expires soon; ask them to re-link",
                        instant(payload.path("consent_expiration_time").asText(null))).replaceWith(false);
                case "PENDING_DISCONNECT" -> runs.connectionTrouble(connection.id(), false,
                        "Plaid will disconnect the Item (" + payload.path("reason").asText("no reason given")
                                + "); ask the user to re-link",
                        instant(payload.path("disconnect_time").asText(null))).replaceWith(false);
                case "USER_PERMISSION_REVOKED", "USER_ACCOUNT_REVOKED" -> runs.connectionTrouble(connection.id(), true,
                        "the user revoked this app's access at the bank", null).replaceWith(false);
                default -> Uni.createFrom().item(false);
            };
        });
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
