package io.tributary.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.contracts.event.BalanceAlert;
import io.tributary.contracts.event.BalanceAlertRule;
import io.tributary.contracts.event.CredentialEvent;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.contracts.event.SyncedTransaction;
import io.tributary.contracts.event.TransactionChange;
import io.tributary.contracts.event.TransactionStatus;
import io.tributary.contracts.event.TransactionsSynced;
import io.tributary.contracts.event.WebhookReceived;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One realistic instance of every event type. */
final class SampleEvents {

    static final UUID INTEGRATION = UUID.fromString("5b2f0c1e-8a3d-4c55-9f1e-2d7a9b6c4e10");
    static final UUID JOB = UUID.fromString("0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c");
    static final Instant AT = Instant.parse("2026-11-21T10:15:30.123Z");

    private SampleEvents() {
    }

    static SyncRequested syncRequested() {
        return new SyncRequested(JOB, INTEGRATION, "user-42", "plaid", IntegrationCategory.BANK,
                SyncType.INCREMENTAL, SyncTrigger.WEBHOOK, AT);
    }

    static SyncStatus syncStatusFailed() {
        return new SyncStatus(JOB, INTEGRATION, SyncState.FAILED, 120, 3, 1, 2, "rate_limited",
                "Provider asked us to slow down; retrying at 10:20Z", AT, AT.plusSeconds(42));
    }

    static TransactionsSynced transactionsSynced() {
        return new TransactionsSynced(INTEGRATION, "user-42", IntegrationCategory.BANK, "plaid", JOB, List.of(
                new SyncedTransaction(TransactionChange.ADDED, "tx-1", "acc-1", new BigDecimal("-12.50"), "GBP",
                        LocalDate.parse("2026-11-20"), null, TransactionStatus.POSTED, "Coffee", "Pret", "food"),
                new SyncedTransaction(TransactionChange.MODIFIED, "tx-2", "acc-1", new BigDecimal("2500.00"), "GBP",
                        LocalDate.parse("2026-11-19"), AT, TransactionStatus.PENDING, "Salary", null, null),
                SyncedTransaction.removed("tx-0", "acc-1")));
    }

    static WebhookReceived webhookReceived() {
        ObjectNode payload = EventCodec.mapper().createObjectNode()
                .put("webhook_type", "TRANSACTIONS")
                .put("webhook_code", "SYNC_UPDATES_AVAILABLE")
                .put("item_id", "item-7");
        return new WebhookReceived(UUID.fromString("7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b"), "plaid", "evt-99",
                "item-7", "TRANSACTIONS.SYNC_UPDATES_AVAILABLE", INTEGRATION, AT, payload);
    }

    static CredentialEvent credentialEvent() {
        return new CredentialEvent(INTEGRATION, CredentialEventType.REAUTH_REQUIRED, AT.plusSeconds(3600), AT);
    }

    static IntegrationEvent integrationEvent() {
        ObjectNode config = EventCodec.mapper().valueToTree(Map.of("accountIds", List.of("acc-1"), "daysBack", 90));
        return new IntegrationEvent(INTEGRATION, "user-42", "xero", IntegrationCategory.ACCOUNTING,
                IntegrationEventType.UPDATED, config, AT);
    }

    static BalanceAlert balanceAlert() {
        return new BalanceAlert(UUID.fromString("1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a"), "user-42", INTEGRATION,
                "acc-1", BalanceAlertRule.LOW_BALANCE, new BigDecimal("49.99"), new BigDecimal("50.00"), "USD",
                null, AT);
    }

    static List<TributaryEvent> all() {
        return List.of(syncRequested(), syncStatusFailed(), transactionsSynced(), webhookReceived(),
                credentialEvent(), integrationEvent(), balanceAlert());
    }
}
