package io.tributary.sandbox.service;

import io.tributary.sandbox.service.Ledgers.Book;
import io.tributary.sandbox.service.Ledgers.Entry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connected Stripe account's money, generated: its balance transactions are one book, and its
 * payouts and disputes are read off it (every 20th transaction pays out what came before, every
 * 50th charge is disputed), so a payout's {@code balance_transaction} and a dispute's {@code charge}
 * name transactions of the same account. Amounts are integers in minor units, times Unix seconds,
 * currencies lower-case (shared/providers.md 2.3).
 */
@ApplicationScoped
public class StripeLedger {

    public static final String COLLECTION = "balance_transactions";
    private static final int PAYOUT_EVERY = 20;
    private static final int DISPUTE_EVERY = 50;
    private static final int DISPUTE_OFFSET = 7;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int POSITION_DIGITS = 10;

    public enum Kind {
        BALANCE_TRANSACTION("txn_", "balance_transactions", "balance transaction"),
        PAYOUT("po_", "payouts", "payout"),
        DISPUTE("dp_", "disputes", "dispute");

        private final String prefix;
        private final String path;
        private final String noun;

        Kind(String prefix, String path, String noun) {
            this.prefix = prefix;
            this.path = path;
            this.noun = noun;
        }

        public String path() {
            return path;
        }

        public String noun() {
            return noun;
        }
    }

    private final Ledgers ledgers;

    public StripeLedger(Ledgers ledgers) {
        this.ledgers = ledgers;
    }

    public Book book(String account) {
        return ledgers.book("stripe", account, COLLECTION);
    }

    /** How many of {@code kind} the account has. */
    public long count(Kind kind, String account) {
        long transactions = book(account).size();
        return switch (kind) {
            case BALANCE_TRANSACTION -> transactions;
            case PAYOUT -> transactions / PAYOUT_EVERY;
            case DISPUTE -> Math.max(0, (transactions - DISPUTE_OFFSET + DISPUTE_EVERY - 1) / DISPUTE_EVERY);
        };
    }

    /** The balance transaction behind position {@code k} of {@code kind}. */
    private static long transactionIndex(Kind kind, long k) {
        return switch (kind) {
            case BALANCE_TRANSACTION -> k;
            case PAYOUT -> k * PAYOUT_EVERY + PAYOUT_EVERY - 1;
            case DISPUTE -> k * DISPUTE_EVERY + DISPUTE_OFFSET;
        };
    }

    /**
     * Positions [low, high) of {@code kind} created within the bounds (Unix seconds, each may be
     * null): Stripe's {@code created[gte|gt|lte|lt]} and {@code created=}.
     */
    public long[] createdRange(Kind kind, String account, Long gte, Long gt, Long lte, Long lt, Long exactly) {
        Long from = max(gte, gt == null ? null : gt + 1, exactly);
        Long until = min(lte == null ? null : lte + 1, lt, exactly == null ? null : exactly + 1);
        long count = count(kind, account);
        long low = from == null ? 0 : firstAtOrAfter(kind, account, count, from);
        long high = until == null ? count : firstAtOrAfter(kind, account, count, until);
        return new long[] {low, Math.max(low, high)};
    }

    private long firstAtOrAfter(Kind kind, String account, long count, long epochSecond) {
        Book book = book(account);
        long low = 0;
        long high = count;
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (book.created(transactionIndex(kind, middle)).getEpochSecond() < epochSecond) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** A Stripe-looking id that names its position: the account's tag, then the position. */
    public String id(Kind kind, String account, long k) {
        return kind.prefix + tag(account) + base62(k);
    }

    /** The position an id names in this account, or -1 when it is not one of the account's. */
    public long position(Kind kind, String account, String id) {
        String tag = tag(account);
        if (id == null || !id.startsWith(kind.prefix + tag) || id.length() != kind.prefix.length() + tag.length()
                + POSITION_DIGITS) {
            return -1;
        }
        long position = 0;
        for (char c : id.substring(kind.prefix.length() + tag.length()).toCharArray()) {
            int digit = ALPHABET.indexOf(c);
            if (digit < 0) {
                return -1;
            }
            position = position * ALPHABET.length() + digit;
        }
        return position;
    }

    /** The balance transaction's type: payouts and disputed charges at their places, else by amount. */
    public String type(String account, long index) {
        if (index % PAYOUT_EVERY == PAYOUT_EVERY - 1) {
            return "payout";
        }
        if (index % DISPUTE_EVERY == DISPUTE_OFFSET) {
            return "charge";
        }
        Entry entry = book(account).entry(index);
        return entry.amount() > 0 ? "charge" : entry.pick() % 5 == 0 ? "adjustment" : "refund";
    }

    /** The automatic payout that paid a transaction out, or null while it is not paid out yet. */
    public String payoutOf(String account, long index) {
        long k = index / PAYOUT_EVERY;
        return k < count(Kind.PAYOUT, account) ? id(Kind.PAYOUT, account, k) : null;
    }

    public Map<String, Object> render(Kind kind, String account, long k) {
        return switch (kind) {
            case BALANCE_TRANSACTION -> balanceTransaction(account, k);
            case PAYOUT -> payout(account, k);
            case DISPUTE -> dispute(account, k);
        };
    }

    private Map<String, Object> balanceTransaction(String account, long index) {
        Entry entry = book(account).entry(index);
        String type = type(account, index);
        long amount = switch (type) {
            case "payout" -> -Math.abs(entry.amount()) * 8;
            case "charge" -> Math.abs(entry.amount());
            default -> -Math.abs(entry.amount()) / 4;
        };
        long fee = "charge".equals(type) ? Math.round(amount * 0.029) + 30 : 0;
        long created = entry.created().getEpochSecond();
        long availableOn = created + Duration.ofDays(2).toSeconds();
        String currency = currency(account);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id(Kind.BALANCE_TRANSACTION, account, index));
        body.put("object", "balance_transaction");
        body.put("amount", amount);
        body.put("available_on", availableOn);
        body.put("balance_type", "payments");
        body.put("created", created);
        body.put("currency", currency);
        body.put("description", switch (type) {
            case "payout" -> "STRIPE PAYOUT";
            case "charge" -> "Payment for order #" + (10_000 + index);
            case "refund" -> "REFUND FOR CHARGE (Payment for order #" + (10_000 + index / 2) + ")";
            default -> "Chargeback withdrawal adjustment";
        });
        body.put("exchange_rate", null);
        body.put("fee", fee);
        body.put("fee_details", fee == 0 ? List.of() : List.of(Map.of("amount", fee, "currency", currency,
                "description", "Stripe processing fees", "type", "stripe_fee")));
        body.put("net", amount - fee);
        body.put("reporting_category", "adjustment".equals(type) ? "other_adjustment" : type);
        body.put("source", "payout".equals(type) ? id(Kind.PAYOUT, account, index / PAYOUT_EVERY)
                : ("charge".equals(type) ? "ch_" : "refund".equals(type) ? "re_" : "adj_") + tag(account)
                        + base62(index));
        body.put("status", Instant.ofEpochSecond(availableOn).isAfter(Instant.now()) ? "pending" : "available");
        body.put("type", type);
        return body;
    }

    private Map<String, Object> payout(String account, long k) {
        long index = transactionIndex(Kind.PAYOUT, k);
        Map<String, Object> transaction = balanceTransaction(account, index);
        long created = (long) transaction.get("created");
        long arrival = created + Duration.ofDays(2).toSeconds();
        boolean paid = !Instant.ofEpochSecond(arrival).isAfter(Instant.now());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id(Kind.PAYOUT, account, k));
        body.put("object", "payout");
        body.put("amount", -(long) transaction.get("amount"));
        body.put("application_fee", null);
        body.put("application_fee_amount", null);
        body.put("arrival_date", arrival);
        body.put("automatic", true);
        body.put("balance_transaction", transaction.get("id"));
        body.put("created", created);
        body.put("currency", transaction.get("currency"));
        body.put("description", "STRIPE PAYOUT");
        body.put("destination", "ba_" + tag(account) + "0000000001");
        body.put("failure_balance_transaction", null);
        body.put("failure_code", null);
        body.put("failure_message", null);
        body.put("livemode", false);
        body.put("metadata", Map.of());
        body.put("method", "standard");
        body.put("original_payout", null);
        body.put("reconciliation_status", paid ? "completed" : "not_applicable");
        body.put("reversed_by", null);
        body.put("source_type", "card");
        body.put("statement_descriptor", null);
        body.put("status", paid ? "paid" : "in_transit");
        Map<String, Object> trace = new LinkedHashMap<>();
        trace.put("status", paid ? "supported" : "pending");
        trace.put("value", paid ? "TRC" + tag(account).substring(0, 6) + base62(k) : null);
        body.put("trace_id", trace);
        body.put("type", "bank_account");
        return body;
    }

    private Map<String, Object> dispute(String account, long k) {
        long index = transactionIndex(Kind.DISPUTE, k);
        Entry entry = book(account).entry(index);
        Map<String, Object> charge = balanceTransaction(account, index);
        long created = (long) charge.get("created");
        long dueBy = created + Duration.ofDays(7).toSeconds();
        boolean open = Instant.ofEpochSecond(dueBy).isAfter(Instant.now());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id(Kind.DISPUTE, account, k));
        body.put("object", "dispute");
        body.put("amount", charge.get("amount"));
        body.put("balance_transactions", List.of());
        body.put("charge", charge.get("source"));
        body.put("created", created);
        body.put("currency", charge.get("currency"));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("customer_email_address", null);
        evidence.put("customer_name", null);
        evidence.put("product_description", null);
        evidence.put("uncategorized_text", null);
        body.put("evidence", evidence);
        body.put("evidence_details", Map.of("due_by", dueBy, "has_evidence", false, "past_due", !open,
                "submission_count", 0));
        body.put("is_charge_refundable", false);
        body.put("livemode", false);
        body.put("metadata", Map.of());
        body.put("payment_intent", "pi_" + tag(account) + base62(index));
        body.put("payment_method_details", Map.of("type", "card", "card", Map.of("brand", "visa",
                "case_type", "chargeback", "network_reason_code", "10.4")));
        body.put("reason", entry.choose(List.of("fraudulent", "product_not_received", "duplicate",
                "subscription_canceled", "product_unacceptable", "credit_not_processed", "general")));
        body.put("status", open ? "needs_response" : entry.chooseAlso(List.of("won", "lost", "won")));
        return body;
    }

    /** The account's balance, from its seed. */
    public Map<String, Object> balance(String account) {
        Book book = book(account);
        long available = Math.floorMod(book.seed(), 5_000_000L) + 10_000;
        long pending = Math.floorMod(book.seed() >>> 20, 500_000L) + book.size();
        String currency = currency(account);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "balance");
        body.put("available", List.of(Map.of("amount", available, "currency", currency,
                "source_types", Map.of("card", available))));
        body.put("livemode", false);
        body.put("pending", List.of(Map.of("amount", pending, "currency", currency,
                "source_types", Map.of("card", pending))));
        return body;
    }

    public String currency(String account) {
        return (account.hashCode() & 1) == 0 ? "gbp" : "usd";
    }

    /** 13 characters that tell this account's ids from another's. */
    private static String tag(String account) {
        long hash = TransactionGenerator.mix(account.hashCode(), account.length(), 0x57);
        StringBuilder tag = new StringBuilder("1");
        for (int i = 0; i < 12; i++) {
            tag.append(ALPHABET.charAt((int) Math.floorMod(hash, 62L)));
            hash = hash / 62 + (hash >>> 59) * 31 + i;
        }
        return tag.toString();
    }

    private static String base62(long value) {
        char[] digits = new char[POSITION_DIGITS];
        long rest = value;
        for (int i = POSITION_DIGITS - 1; i >= 0; i--) {
            digits[i] = ALPHABET.charAt((int) (rest % 62));
            rest /= 62;
        }
        return new String(digits);
    }

    private static Long max(Long... values) {
        Long best = null;
        for (Long value : values) {
            if (value != null && (best == null || value > best)) {
                best = value;
            }
        }
        return best;
    }

    private static Long min(Long... values) {
        Long best = null;
        for (Long value : values) {
            if (value != null && (best == null || value < best)) {
                best = value;
            }
        }
        return best;
    }
}
