package io.tributary.sandbox.service;

import io.tributary.sandbox.service.Ledgers.Book;
import io.tributary.sandbox.service.Ledgers.Entry;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A QuickBooks Online company's books, generated per realm: a fixed chart of Accounts, and
 * Purchase, Deposit, Invoice and JournalEntry as books whose Ids are positions + 1. Every entity
 * has {@code Id}, {@code SyncToken} and {@code MetaData{CreateTime, LastUpdatedTime}}, times with
 * the company's Pacific offset as Intuit writes them (shared/providers.md 2.5).
 */
@ApplicationScoped
public class QuickBooksBooks {

    /** The entities kept as books, by their API names. */
    public static final List<String> TRANSACTIONS = List.of("Purchase", "Deposit", "Invoice", "JournalEntry");
    public static final String ACCOUNT = "Account";
    private static final ZoneId COMPANY_ZONE = ZoneId.of("America/Los_Angeles");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** Id, name, classification, type, subtype. */
    private static final List<String[]> CHART = List.of(
            new String[] {"35", "Checking", "Asset", "Bank", "Checking"},
            new String[] {"36", "Savings", "Asset", "Bank", "Savings"},
            new String[] {"84", "Accounts Receivable (A/R)", "Asset", "Accounts Receivable", "AccountsReceivable"},
            new String[] {"33", "Accounts Payable (A/P)", "Liability", "Accounts Payable", "AccountsPayable"},
            new String[] {"79", "Sales of Product Income", "Revenue", "Income", "SalesOfProductIncome"},
            new String[] {"1", "Services", "Revenue", "Income", "ServiceFeeIncome"},
            new String[] {"7", "Advertising", "Expense", "Expense", "AdvertisingPromotional"},
            new String[] {"17", "Rent or Lease", "Expense", "Expense", "RentOrLeaseOfBuildings"},
            new String[] {"13", "Meals and Entertainment", "Expense", "Expense", "EntertainmentMeals"},
            new String[] {"80", "Cost of Goods Sold", "Expense", "Cost of Goods Sold", "SuppliesMaterialsCogs"},
            new String[] {"2", "Opening Balance Equity", "Equity", "Equity", "OpeningBalanceEquity"});
    private static final List<String> VENDORS = List.of("Hicks Hardware", "Norton Lumber and Building Materials",
            "Books by Bessie", "Chin's Gas and Oil", "Tania's Nursery", "PG&E");
    private static final List<String> CUSTOMERS = List.of("Amy's Bird Sanctuary", "Bill's Windsurf Shop",
            "Cool Cars", "Diego Rodriguez", "Dukes Basketball Camp", "Freeman Sporting Goods");

    private final Ledgers ledgers;

    public QuickBooksBooks(Ledgers ledgers) {
        this.ledgers = ledgers;
    }

    /** The entity name as the API spells it, for a name in any case; empty when the sandbox does not keep it. */
    public static Optional<String> entity(String name) {
        return java.util.stream.Stream.concat(TRANSACTIONS.stream(), java.util.stream.Stream.of(ACCOUNT))
                .filter(entity -> entity.equalsIgnoreCase(name)).findFirst();
    }

    public Book book(String realm, String entity) {
        return ledgers.book("quickbooks", realm, entity);
    }

    public List<Map<String, Object>> accounts(String realm) {
        Instant created = book(realm, "Purchase").opened().minus(Ledgers.HISTORY).minus(1, ChronoUnit.DAYS);
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (String[] account : CHART) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Name", account[1]);
            body.put("SubAccount", false);
            body.put("FullyQualifiedName", account[1]);
            body.put("Active", true);
            body.put("Classification", account[2]);
            body.put("AccountType", account[3]);
            body.put("AccountSubType", account[4]);
            body.put("CurrentBalance", "Bank".equals(account[3])
                    ? BigDecimal.valueOf(Math.floorMod((long) realm.hashCode() * account[0].hashCode(), 5_000_000L), 2)
                    : BigDecimal.ZERO.setScale(2));
            body.put("CurrentBalanceWithSubAccounts", body.get("CurrentBalance"));
            body.put("CurrencyRef", currency());
            body.put("domain", "QBO");
            body.put("sparse", false);
            body.put("Id", account[0]);
            body.put("SyncToken", "0");
            body.put("MetaData", metaData(created, created));
            accounts.add(body);
        }
        return accounts;
    }

    /** Entity {@code index} (Id index + 1) of a book in its latest state; deleted ones as CDC shows them. */
    public Map<String, Object> render(String realm, String entity, long index) {
        Entry entry = book(realm, entity).entry(index);
        if (entry.deleted()) {
            Map<String, Object> deleted = new LinkedHashMap<>();
            deleted.put("domain", "QBO");
            deleted.put("status", "Deleted");
            deleted.put("Id", String.valueOf(index + 1));
            deleted.put("MetaData", Map.of("LastUpdatedTime", time(entry.updated())));
            return deleted;
        }
        BigDecimal amount = BigDecimal.valueOf(Math.abs(entry.amount()), 2);
        String date = entry.created().atZone(COMPANY_ZONE).toLocalDate().toString();
        String[] bank = CHART.get((int) (index % 2));
        Map<String, Object> body = new LinkedHashMap<>();
        switch (entity) {
            case "Purchase" -> {
                String[] expense = CHART.get(6 + entry.pick() % 3);
                body.put("AccountRef", ref(bank[0], bank[1]));
                body.put("PaymentType", entry.choose(List.of("Cash", "Check", "CreditCard")));
                body.put("EntityRef", Map.of("value", String.valueOf(50 + entry.pick() % VENDORS.size()),
                        "name", entry.choose(VENDORS), "type", "Vendor"));
                body.put("Credit", false);
                body.put("TotalAmt", amount);
                body.put("PurchaseEx", Map.of("any", List.of()));
                body.put("TxnDate", date);
                body.put("CurrencyRef", currency());
                body.put("PrivateNote", "Purchase " + (index + 1));
                body.put("Line", List.of(line("1", amount, "AccountBasedExpenseLineDetail",
                        Map.of("AccountRef", ref(expense[0], expense[1]), "BillableStatus", "NotBillable",
                                "TaxCodeRef", Map.of("value", "NON")))));
            }
            case "Deposit" -> {
                body.put("DepositToAccountRef", ref(bank[0], bank[1]));
                body.put("TxnDate", date);
                body.put("TotalAmt", amount);
                body.put("CurrencyRef", currency());
                body.put("PrivateNote", "Deposit " + (index + 1));
                body.put("Line", List.of(line("1", amount, "DepositLineDetail",
                        Map.of("AccountRef", ref(CHART.get(4)[0], CHART.get(4)[1])))));
            }
            case "Invoice" -> {
                int customer = entry.pick() % CUSTOMERS.size();
                boolean paid = entry.created().isBefore(Instant.now().minus(45, ChronoUnit.DAYS))
                        || entry.salt() % 3 == 0;
                body.put("DocNumber", String.valueOf(1000 + index + 1));
                body.put("TxnDate", date);
                body.put("DueDate", entry.created().atZone(COMPANY_ZONE).toLocalDate().plusDays(30).toString());
                body.put("CurrencyRef", currency());
                body.put("CustomerRef", Map.of("value", String.valueOf(1 + customer), "name", CUSTOMERS.get(customer)));
                body.put("Line", List.of(line("1", amount, "SalesItemLineDetail", Map.of("ItemRef",
                        Map.of("value", "1", "name", "Services"), "UnitPrice", amount, "Qty", 1,
                        "TaxCodeRef", Map.of("value", "NON"))),
                        Map.of("Amount", amount, "DetailType", "SubTotalLineDetail", "SubTotalLineDetail", Map.of())));
                body.put("TotalAmt", amount);
                body.put("Balance", paid ? BigDecimal.ZERO.setScale(2) : amount);
                body.put("EmailStatus", "NotSet");
                body.put("PrintStatus", "NotSet");
            }
            default -> {
                String[] debit = CHART.get(6 + entry.pick() % 4);
                body.put("DocNumber", "JE" + (index + 1));
                body.put("TxnDate", date);
                body.put("CurrencyRef", currency());
                body.put("Adjustment", false);
                body.put("TotalAmt", amount);
                body.put("Line", List.of(
                        journalLine("0", amount, "Debit", debit),
                        journalLine("1", amount, "Credit", bank)));
            }
        }
        body.put("domain", "QBO");
        body.put("sparse", false);
        body.put("Id", String.valueOf(index + 1));
        body.put("SyncToken", String.valueOf(entry.version()));
        body.put("MetaData", metaData(entry.created(), entry.updated()));
        return body;
    }

    /** Intuit's time format with the company's offset, e.g. {@code 2015-07-24T10:33:39-07:00}. */
    public static String time(Instant instant) {
        return TIME.format(instant.atZone(COMPANY_ZONE));
    }

    private static Map<String, Object> metaData(Instant created, Instant updated) {
        return Map.of("CreateTime", time(created), "LastUpdatedTime", time(updated));
    }

    private static Map<String, Object> currency() {
        return Map.of("value", "USD", "name", "United States Dollar");
    }

    private static Map<String, String> ref(String value, String name) {
        return Map.of("value", value, "name", name);
    }

    private static Map<String, Object> line(String id, BigDecimal amount, String detailType, Map<String, Object> detail) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("Id", id);
        line.put("LineNum", Integer.parseInt(id));
        line.put("Amount", amount);
        line.put("DetailType", detailType);
        line.put(detailType, detail);
        return line;
    }

    private static Map<String, Object> journalLine(String id, BigDecimal amount, String posting, String[] account) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("Id", id);
        line.put("Description", posting.toLowerCase(Locale.ROOT) + " " + account[1]);
        line.put("Amount", amount);
        line.put("DetailType", "JournalEntryLineDetail");
        line.put("JournalEntryLineDetail", Map.of("PostingType", posting, "AccountRef", ref(account[0], account[1])));
        return line;
    }
}
