package io.tributary.sandbox.rest;

import io.tributary.sandbox.service.Ledgers;
import io.tributary.sandbox.service.PayPalBooks;
import io.tributary.sandbox.service.QuickBooksBooks;
import io.tributary.sandbox.service.StripeLedger;
import io.tributary.sandbox.service.XeroBooks;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The collections of the generated books, and the webhook each provider sends when one changes. */
@ApplicationScoped
public class BookWebhooks {

    /** Collection names per provider, as the provider's API names them. */
    static final Map<String, Set<String>> COLLECTIONS = Map.of(
            "stripe", Set.of(StripeLedger.COLLECTION),
            "xero", Set.of(XeroBooks.BANK_TRANSACTIONS, XeroBooks.INVOICES),
            "quickbooks", Set.copyOf(QuickBooksBooks.TRANSACTIONS),
            "paypal", Set.of(PayPalBooks.TRANSACTIONS),
            "amocrm", Set.of(AmoCrmResource.LEADS, AmoCrmResource.CONTACTS),
            "yclients", Set.of(YclientsResource.RECORDS));

    private final StripeLedger stripe;
    private final XeroBooks xero;
    private final PayPalBooks paypal;

    public BookWebhooks(StripeLedger stripe, XeroBooks xero, PayPalBooks paypal) {
        this.stripe = stripe;
        this.xero = xero;
        this.paypal = paypal;
    }

    /** The event body the provider would send about a churn, when it sends one. */
    @SuppressWarnings("unchecked")
    Optional<byte[]> event(String provider, String account, String collection, Ledgers.Churned churned) {
        if ("stripe".equals(provider)) {
            // funds moved: Stripe tells a Connect platform with the account's balance.available
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
            event.put("object", "event");
            event.put("account", account);
            event.put("api_version", "2025-09-30.clover");
            event.put("created", Instant.now().getEpochSecond());
            event.put("livemode", false);
            event.put("pending_webhooks", 1);
            event.put("type", "balance.available");
            event.put("data", Map.of("object", stripe.balance(account)));
            return Optional.of(Json.bytes(event));
        }
        if ("paypal".equals(provider) && !churned.added().isEmpty()) {
            // a completed capture for the newest payment; PayPal sends one event per resource
            long index = churned.added().get(churned.added().size() - 1);
            Map<String, Object> info = (Map<String, Object>) paypal.transaction(account, index, false)
                    .get("transaction_info");
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("id", info.get("transaction_id"));
            resource.put("status", "COMPLETED");
            resource.put("amount", info.get("transaction_amount"));
            resource.put("create_time", Instant.now().toString());
            resource.put("update_time", Instant.now().toString());
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", "WH-" + UUID.randomUUID().toString().toUpperCase().replace("-", "").substring(0, 17));
            event.put("event_version", "1.0");
            event.put("create_time", Instant.now().toString());
            event.put("resource_type", "capture");
            event.put("resource_version", "2.0");
            event.put("event_type", "PAYMENT.CAPTURE.COMPLETED");
            event.put("summary", "Payment completed for " + ((Map<?, ?>) info.get("transaction_amount")).get("value"));
            event.put("resource", resource);
            event.put("links", List.of());
            return Optional.of(Json.bytes(event));
        }
        if ("quickbooks".equals(provider)) {
            // Intuit's data-change notification: which entity changed how; the receiver reads it back by Id
            List<Map<String, Object>> entities = new ArrayList<>();
            String now = Instant.now().toString();
            churned.added().forEach(index -> entities.add(quickbooksEntity(collection, index, "Create", now)));
            churned.modified().forEach(index -> entities.add(quickbooksEntity(collection, index, "Update", now)));
            churned.deleted().forEach(index -> entities.add(quickbooksEntity(collection, index, "Delete", now)));
            if (entities.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Json.bytes(Map.of("eventNotifications", List.of(Map.of("realmId", account,
                    "dataChangeEvent", Map.of("entities", entities))))));
        }
        if ("xero".equals(provider) && XeroBooks.INVOICES.equals(collection)) {
            // Xero's webhooks name the invoice, never carry it: the receiver fetches resourceUrl
            List<Map<String, Object>> events = new ArrayList<>();
            String now = Instant.now().toString();
            churned.added().forEach(index -> events.add(xeroEvent(account, index, "CREATE", now)));
            churned.modified().forEach(index -> events.add(xeroEvent(account, index, "UPDATE", now)));
            churned.deleted().forEach(index -> events.add(xeroEvent(account, index, "UPDATE", now)));
            if (events.isEmpty()) {
                return Optional.empty();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("events", events);
            body.put("firstEventSequence", 1);
            body.put("lastEventSequence", events.size());
            body.put("entropy", UUID.randomUUID().toString().replace("-", "").substring(0, 20).toUpperCase());
            return Optional.of(Json.bytes(body));
        }
        return Optional.empty();
    }

    private static Map<String, Object> quickbooksEntity(String entity, long index, String operation, String at) {
        Map<String, Object> changed = new LinkedHashMap<>();
        changed.put("name", entity);
        changed.put("id", String.valueOf(index + 1));
        changed.put("operation", operation);
        changed.put("lastUpdated", at);
        if ("Delete".equals(operation)) {
            changed.put("deletedId", String.valueOf(index + 1));
        }
        return changed;
    }

    private Map<String, Object> xeroEvent(String tenant, long index, String type, String at) {
        String id = xero.id(tenant, XeroBooks.INVOICES, index);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resourceUrl", "https://api.xero.com/api.xro/2.0/Invoices/" + id);
        event.put("resourceId", id);
        event.put("eventDateUtc", at);
        event.put("eventType", type);
        event.put("eventCategory", "INVOICE");
        event.put("tenantId", tenant);
        event.put("tenantType", "ORGANISATION");
        return event;
    }
}
