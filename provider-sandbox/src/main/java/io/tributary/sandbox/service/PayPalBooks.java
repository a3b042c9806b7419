package io.tributary.sandbox.service;

import io.tributary.sandbox.service.Ledgers.Book;
import io.tributary.sandbox.service.Ledgers.Entry;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PayPal merchant's activity, generated: its transactions are one book (money values are
 * strings, dates {@code 2026-01-01T10:00:00+0000}), and every 40th is disputed (shared/providers.md 2.4).
 */
@ApplicationScoped
public class PayPalBooks {

    public static final String TRANSACTIONS = "transactions";
    static final int DISPUTE_EVERY = 40;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ")
            .withZone(ZoneOffset.UTC);

    private final Ledgers ledgers;

    public PayPalBooks(Ledgers ledgers) {
        this.ledgers = ledgers;
    }

    public Book book(String merchant) {
        return ledgers.book("paypal", merchant, TRANSACTIONS);
    }

    public String currency(String merchant) {
        return (merchant.hashCode() & 1) == 0 ? "USD" : "EUR";
    }

    /** A 17-character transaction id that names its record. */
    public String transactionId(String merchant, long index) {
        long tag = Math.floorMod(TransactionGenerator.mix(merchant.hashCode(), 17, 0x99), 36L * 36 * 36 * 36 * 36 * 36);
        return base36(tag, 6) + "PP" + base36(index, 9);
    }

    public long index(String merchant, String transactionId) {
        if (transactionId == null || transactionId.length() != 17 || !transactionId.startsWith(transactionId(merchant, 0)
                .substring(0, 8))) {
            return -1;
        }
        try {
            long index = Long.parseLong(transactionId.substring(8), 36);
            return index < book(merchant).size() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One {@code transaction_details} item; {@code all} adds the payer and cart as {@code fields=all} does. */
    public Map<String, Object> transaction(String merchant, long index, boolean all) {
        Entry entry = book(merchant).entry(index);
        String currency = currency(merchant);
        boolean payment = entry.amount() > 0;
        BigDecimal amount = BigDecimal.valueOf(entry.amount(), 2);
        BigDecimal fee = payment ? amount.multiply(new BigDecimal("0.0349")).add(new BigDecimal("0.49"))
                .setScale(2, java.math.RoundingMode.HALF_UP).negate() : BigDecimal.ZERO.setScale(2);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("paypal_account_id", merchant);
        info.put("transaction_id", transactionId(merchant, index));
        info.put("transaction_event_code", payment ? "T0006" : entry.pick() % 3 == 0 ? "T0400" : "T1107");
        info.put("transaction_initiation_date", TIME.format(entry.created()));
        info.put("transaction_updated_date", TIME.format(entry.updated()));
        info.put("transaction_amount", money(currency, amount));
        info.put("fee_amount", money(currency, fee));
        info.put("transaction_status", entry.deleted() ? "V" : "S");
        info.put("transaction_subject", payment ? "Order #" + (20_000 + index) : "Refund");
        info.put("protection_eligibility", payment ? "01" : "02");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("transaction_info", info);
        if (all) {
            detail.put("payer_info", Map.of("account_id", "PAYER" + base36(entry.salt() & 0xFFFFFFL, 8),
                    "email_address", "buyer" + (entry.pick() % 500) + "@example.com", "address_status", "Y",
                    "payer_status", "Y", "payer_name", Map.of("given_name", "Buyer", "surname", "No" + entry.pick() % 500),
                    "country_code", "US"));
            detail.put("shipping_info", Map.of());
            detail.put("cart_info", Map.of("item_details", List.of(Map.of("item_name", "Item " + index,
                    "item_quantity", "1", "item_unit_price", money(currency, amount.abs()),
                    "item_amount", money(currency, amount.abs())))));
            detail.put("store_info", Map.of());
            detail.put("auction_info", Map.of());
            detail.put("incentive_info", Map.of());
        }
        return detail;
    }

    /** How many disputes the merchant has: one on the transaction at every 40th place. */
    public long disputes(String merchant) {
        return book(merchant).size() / DISPUTE_EVERY;
    }

    public Map<String, Object> dispute(String merchant, long k, String selfUrl) {
        long index = k * DISPUTE_EVERY + DISPUTE_EVERY - 1;
        Entry entry = book(merchant).entry(index);
        Instant created = entry.created().plus(Duration.ofDays(3));
        Instant due = created.plus(Duration.ofDays(20));
        boolean open = due.isAfter(Instant.now());
        Map<String, Object> dispute = new LinkedHashMap<>();
        dispute.put("dispute_id", "PP-D-" + (100_000 + k) + "-" + transactionId(merchant, 0).substring(0, 4));
        dispute.put("create_time", created.toString());
        dispute.put("update_time", (open ? created : due).toString());
        dispute.put("disputed_transactions", List.of(Map.of("seller_transaction_id", transactionId(merchant, index))));
        dispute.put("reason", entry.choose(List.of("MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
                "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED", "UNAUTHORISED", "DUPLICATE_TRANSACTION", "INCORRECT_AMOUNT")));
        dispute.put("status", open ? "WAITING_FOR_SELLER_RESPONSE" : "RESOLVED");
        dispute.put("dispute_state", open ? "REQUIRED_ACTION" : "RESOLVED");
        dispute.put("dispute_amount", money(currency(merchant), BigDecimal.valueOf(Math.abs(entry.amount()), 2)));
        dispute.put("dispute_life_cycle_stage", entry.chooseAlso(List.of("INQUIRY", "CHARGEBACK")));
        dispute.put("dispute_channel", "INTERNAL");
        if (open) {
            dispute.put("seller_response_due_date", due.toString());
        }
        dispute.put("links", List.of(Map.of("href", selfUrl + "/" + dispute.get("dispute_id"), "rel", "self",
                "method", "GET")));
        return dispute;
    }

    /** The dispute position an id names, or -1. */
    public long disputePosition(String merchant, String disputeId) {
        String suffix = "-" + transactionId(merchant, 0).substring(0, 4);
        if (disputeId == null || !disputeId.startsWith("PP-D-") || !disputeId.endsWith(suffix)) {
            return -1;
        }
        try {
            long k = Long.parseLong(disputeId.substring(5, disputeId.length() - suffix.length())) - 100_000;
            return k >= 0 && k < disputes(merchant) ? k : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static Map<String, String> money(String currency, BigDecimal value) {
        return Map.of("currency_code", currency, "value", value.toPlainString());
    }

    private static String base36(long value, int width) {
        char[] digits = new char[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            digits[i] = ALPHABET.charAt((int) (rest % 36));
            rest /= 36;
        }
        return new String(digits);
    }
}
