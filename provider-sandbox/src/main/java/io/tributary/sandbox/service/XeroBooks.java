package io.tributary.sandbox.service;

import io.tributary.sandbox.service.Ledgers.Book;
import io.tributary.sandbox.service.Ledgers.Entry;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Xero organisation's books, generated per tenant: a fixed chart of accounts, and bank
 * transactions and invoices as books of records, in Xero's field names with .NET
 * {@code /Date(ms+0000)/} dates and decimal amounts, VAT at 20 % included (shared/providers.md 2.6).
 */
@ApplicationScoped
public class XeroBooks {

    public static final String BANK_TRANSACTIONS = "BankTransactions";
    public static final String INVOICES = "Invoices";

    private static final List<String[]> CHART = List.of(
            new String[] {"090", "Business Bank Account", "BANK", "ASSET"},
            new String[] {"091", "Business Savings Account", "BANK", "ASSET"},
            new String[] {"200", "Sales", "REVENUE", "REVENUE"},
            new String[] {"260", "Other Revenue", "OTHERINCOME", "REVENUE"},
            new String[] {"310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE"},
            new String[] {"400", "Advertising", "OVERHEADS", "EXPENSE"},
            new String[] {"429", "General Expenses", "OVERHEADS", "EXPENSE"},
            new String[] {"469", "Rent", "OVERHEADS", "EXPENSE"},
            new String[] {"610", "Accounts Receivable", "CURRENT", "ASSET"},
            new String[] {"800", "Accounts Payable", "CURRLIAB", "LIABILITY"},
            new String[] {"820", "VAT", "CURRLIAB", "LIABILITY"},
            new String[] {"970", "Owner A Funds Introduced", "EQUITY", "EQUITY"});
    private static final List<String> CUSTOMERS = List.of("Ridgeway University", "City Limousines", "Bayside Club",
            "Marine Systems", "Petrie McLoud Watson & Associates", "Hamilton Smith Ltd");
    private static final List<String> SUPPLIERS = List.of("ABC Furniture", "PowerDirect", "Truxton Property Management",
            "Capital Cab Co", "Melrose Parking", "SMART Agency");

    private final Ledgers ledgers;

    public XeroBooks(Ledgers ledgers) {
        this.ledgers = ledgers;
    }

    public Book book(String tenant, String collection) {
        return ledgers.book("xero", tenant, collection);
    }

    /** The chart of accounts, dated when the organisation's books begin. */
    public List<Map<String, Object>> accounts(String tenant) {
        Instant since = book(tenant, BANK_TRANSACTIONS).opened().minus(Ledgers.HISTORY).minus(1, ChronoUnit.DAYS);
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (String[] account : CHART) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("AccountID", uuid(tenant + "/account/" + account[0]).toString());
            body.put("Code", account[0]);
            body.put("Name", account[1]);
            body.put("Status", "ACTIVE");
            body.put("Type", account[2]);
            body.put("TaxType", "BANK".equals(account[2]) ? "NONE" : "OUTPUT2");
            body.put("Class", account[3]);
            body.put("EnablePaymentsToAccount", false);
            body.put("ShowInExpenseClaims", false);
            if ("BANK".equals(account[2])) {
                body.put("BankAccountNumber", "20" + account[0] + "0" + Math.floorMod(tenant.hashCode(), 10_000_000));
                body.put("BankAccountType", "BANK");
                body.put("CurrencyCode", currency(tenant));
            }
            body.put("ReportingCode", account[3].substring(0, 3));
            body.put("HasAttachments", false);
            body.put("UpdatedDateUTC", dotNet(since));
            body.put("AddToWatchlist", false);
            accounts.add(body);
        }
        return accounts;
    }

    /** Record {@code index}'s id: the book's prefix and the index, so an id finds its record. */
    public String id(String tenant, String collection, long index) {
        UUID prefix = uuid(Ledgers.key("xero", tenant, collection));
        return new UUID(prefix.getMostSignificantBits(), (prefix.getLeastSignificantBits() & 0xFFFF000000000000L)
                | index).toString();
    }

    /** The index an id names in this tenant's collection, or -1. */
    public long index(String tenant, String collection, String id) {
        try {
            UUID parsed = UUID.fromString(id);
            UUID prefix = uuid(Ledgers.key("xero", tenant, collection));
            if (parsed.getMostSignificantBits() != prefix.getMostSignificantBits()
                    || (parsed.getLeastSignificantBits() & 0xFFFF000000000000L)
                            != (prefix.getLeastSignificantBits() & 0xFFFF000000000000L)) {
                return -1;
            }
            long index = parsed.getLeastSignificantBits() & 0x0000FFFFFFFFFFFFL;
            return index < book(tenant, collection).size() ? index : -1;
        } catch (IllegalArgumentException notUuid) {
            return -1;
        }
    }

    public Map<String, Object> bankTransaction(String tenant, long index) {
        Entry entry = book(tenant, BANK_TRANSACTIONS).entry(index);
        boolean receive = entry.amount() > 0;
        BigDecimal total = BigDecimal.valueOf(Math.abs(entry.amount()), 2);
        String contact = receive ? entry.choose(CUSTOMERS) : entry.choose(SUPPLIERS);
        String[] bank = CHART.get((int) (index % 2));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("BankTransactionID", id(tenant, BANK_TRANSACTIONS, index));
        body.put("Type", receive ? "RECEIVE" : "SPEND");
        body.put("Contact", contact(tenant, contact));
        body.put("LineItems", lineItems(tenant, BANK_TRANSACTIONS, index, total, receive ? "200" : "429",
                receive ? "Sales receipt" : "Expense"));
        body.put("BankAccount", Map.of("AccountID", uuid(tenant + "/account/" + bank[0]).toString(), "Code", bank[0],
                "Name", bank[1]));
        body.put("IsReconciled", entry.created().isBefore(Instant.now().minus(30, ChronoUnit.DAYS)));
        body.put("Date", dotNet(day(entry.created())));
        body.put("DateString", day(entry.created()).atOffset(ZoneOffset.UTC).toLocalDateTime().toString() + ":00");
        body.put("Reference", (receive ? "RCPT-" : "PMT-") + (1000 + index));
        body.put("CurrencyCode", currency(tenant));
        body.put("CurrencyRate", BigDecimal.ONE.setScale(6));
        body.put("Status", entry.deleted() ? "DELETED" : "AUTHORISED");
        body.put("LineAmountTypes", "Inclusive");
        amounts(body, total);
        body.put("UpdatedDateUTC", dotNet(entry.updated()));
        body.put("HasAttachments", false);
        return body;
    }

    public Map<String, Object> invoice(String tenant, long index) {
        Entry entry = book(tenant, INVOICES).entry(index);
        boolean sale = entry.amount() > 0;
        BigDecimal total = BigDecimal.valueOf(Math.abs(entry.amount()) * 4, 2);
        Instant date = day(entry.created());
        Instant due = date.plus(30, ChronoUnit.DAYS);
        String status = entry.deleted() ? (entry.pick() % 2 == 0 ? "DELETED" : "VOIDED")
                : due.isBefore(Instant.now()) ? entry.chooseAlso(List.of("PAID", "PAID", "PAID", "AUTHORISED"))
                : entry.chooseAlso(List.of("AUTHORISED", "DRAFT", "SUBMITTED", "PAID"));
        BigDecimal paid = "PAID".equals(status) ? total : BigDecimal.ZERO.setScale(2);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Type", sale ? "ACCREC" : "ACCPAY");
        body.put("InvoiceID", id(tenant, INVOICES, index));
        body.put("InvoiceNumber", sale ? String.format("INV-%05d", index + 1) : "");
        body.put("Reference", sale ? "" : "Bill " + (5000 + index));
        body.put("Contact", contact(tenant, sale ? entry.choose(CUSTOMERS) : entry.choose(SUPPLIERS)));
        body.put("LineItems", lineItems(tenant, INVOICES, index, total, sale ? "200" : "310",
                sale ? "Consulting services" : "Stock purchase"));
        body.put("Date", dotNet(date));
        body.put("DateString", date.atOffset(ZoneOffset.UTC).toLocalDateTime() + ":00");
        body.put("DueDate", dotNet(due));
        body.put("DueDateString", due.atOffset(ZoneOffset.UTC).toLocalDateTime() + ":00");
        body.put("Status", status);
        body.put("LineAmountTypes", "Exclusive");
        amounts(body, total);
        body.put("AmountDue", "PAID".equals(status) || "VOIDED".equals(status) || "DELETED".equals(status)
                ? BigDecimal.ZERO.setScale(2) : total);
        body.put("AmountPaid", paid);
        body.put("AmountCredited", BigDecimal.ZERO.setScale(2));
        body.put("CurrencyCode", currency(tenant));
        body.put("CurrencyRate", BigDecimal.ONE.setScale(6));
        body.put("IsDiscounted", false);
        body.put("HasAttachments", false);
        body.put("HasErrors", false);
        body.put("Payments", "PAID".equals(status) ? List.of(Map.of("PaymentID",
                uuid(tenant + "/payment/" + index).toString(), "Date", dotNet(date.plus(7, ChronoUnit.DAYS)),
                "Amount", total, "Reference", "", "CurrencyRate", BigDecimal.ONE.setScale(6))) : List.of());
        body.put("CreditNotes", List.of());
        body.put("Prepayments", List.of());
        body.put("Overpayments", List.of());
        body.put("UpdatedDateUTC", dotNet(entry.updated()));
        return body;
    }

    public String currency(String tenant) {
        return (tenant.hashCode() & 1) == 0 ? "GBP" : "NZD";
    }

    /** Xero's .NET JSON date: milliseconds since the epoch, UTC. */
    public static String dotNet(Instant instant) {
        return "/Date(" + instant.toEpochMilli() + "+0000)/";
    }

    private static Instant day(Instant instant) {
        return instant.truncatedTo(ChronoUnit.DAYS);
    }

    private static void amounts(Map<String, Object> body, BigDecimal total) {
        BigDecimal tax = total.divide(BigDecimal.valueOf(6), 2, RoundingMode.HALF_UP);
        body.put("SubTotal", total.subtract(tax));
        body.put("TotalTax", tax);
        body.put("Total", total);
    }

    private Map<String, Object> contact(String tenant, String name) {
        return Map.of("ContactID", uuid(tenant + "/contact/" + name).toString(), "Name", name);
    }

    private List<Map<String, Object>> lineItems(String tenant, String collection, long index, BigDecimal total,
            String accountCode, String description) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("LineItemID", uuid(tenant + "/" + collection + "/line/" + index).toString());
        line.put("Description", description);
        line.put("Quantity", BigDecimal.ONE.setScale(4));
        line.put("UnitAmount", total);
        line.put("AccountCode", accountCode);
        line.put("TaxType", "OUTPUT2");
        line.put("TaxAmount", total.divide(BigDecimal.valueOf(6), 2, RoundingMode.HALF_UP));
        line.put("LineAmount", total);
        line.put("Tracking", List.of());
        return List.of(line);
    }

    private static UUID uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** A request's If-Modified-Since in either form clients send: RFC 3339 or an HTTP date. */
    public static Instant modifiedSince(String header) {
        String value = header.trim();
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException notLocal) {
                return java.time.ZonedDateTime.parse(value, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            }
        }
    }
}
