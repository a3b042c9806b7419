package io.tributary.sandbox.service;

import io.tributary.sandbox.service.TransactionGenerator.Account;
import io.tributary.sandbox.service.TransactionGenerator.Transaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One YNAB budget per connected user, its data generated from the budget id. Every change has a
 * server knowledge: history transaction i has knowledge i + 1, churn continues the count. A delta
 * request ({@code last_knowledge_of_server}) answers each transaction changed since, in its latest
 * state, deleted ones with {@code deleted: true}.
 */
@ApplicationScoped
public class YnabBudgets {

    public static final int ACCOUNTS = 2;
    public static final int TRANSACTIONS_PER_ACCOUNT = 60;

    /** A transaction as YNAB holds it: amounts in milliunits, outflow negative. */
    public record YnabTransaction(String id, String accountId, long milliunits, LocalDate date, String payee,
            String category, String cleared, boolean deleted, long knowledge) {
    }

    public record Budget(String budgetId, String owner, long seed, LocalDate anchor, List<YnabTransaction> churn) {

        long historyKnowledge() {
            return (long) ACCOUNTS * TRANSACTIONS_PER_ACCOUNT;
        }

        public long serverKnowledge() {
            return historyKnowledge() + churn.size();
        }
    }

    private final Map<String, Budget> byOwner = new ConcurrentHashMap<>();
    private final Map<String, Budget> byId = new ConcurrentHashMap<>();

    /** The budget of the user a token was issued for, made on first use. */
    public Budget budgetOf(String owner) {
        return byOwner.computeIfAbsent(owner, key -> {
            UUID id = UUID.nameUUIDFromBytes(("ynab-budget:" + key).getBytes(StandardCharsets.UTF_8));
            Budget budget = new Budget(id.toString(), key, id.getMostSignificantBits(),
                    LocalDate.now(ZoneOffset.UTC), new CopyOnWriteArrayList<>());
            byId.put(budget.budgetId(), budget);
            return budget;
        });
    }

    public Optional<Budget> byId(String budgetId) {
        return Optional.ofNullable(byId.get(budgetId));
    }

    public List<Account> accounts(Budget budget) {
        List<Account> accounts = new ArrayList<>();
        for (int k = 0; k < ACCOUNTS; k++) {
            accounts.add(TransactionGenerator.account(budget.seed(), k, "USD"));
        }
        return accounts;
    }

    /** Every transaction changed after {@code knowledge} (all of them for 0), each in its latest state. */
    public List<YnabTransaction> transactionsSince(Budget budget, long knowledge, LocalDate sinceDate) {
        Map<String, YnabTransaction> latest = new LinkedHashMap<>();
        for (long position = knowledge; position < budget.historyKnowledge(); position++) {
            YnabTransaction transaction = history(budget, position);
            latest.put(transaction.id(), transaction);
        }
        for (YnabTransaction change : budget.churn()) {
            if (change.knowledge() > knowledge) {
                latest.put(change.id(), change);
            }
        }
        return latest.values().stream()
                .filter(transaction -> sinceDate == null || !transaction.date().isBefore(sinceDate))
                .toList();
    }

    /** Adds, modifies and deletes transactions; each change gets the next server knowledge. */
    public synchronized List<YnabTransaction> churn(Budget budget, int adds, int modifications, int deletions) {
        SplittableRandom random = new SplittableRandom(budget.seed() ^ budget.churn().size());
        List<YnabTransaction> changes = new ArrayList<>();
        long knowledge = budget.serverKnowledge();
        for (int n = 0; n < adds; n++) {
            int account = random.nextInt(ACCOUNTS);
            Transaction generated = TransactionGenerator.transaction(budget.seed(), account,
                    TRANSACTIONS_PER_ACCOUNT + budget.churn().size() + n, TRANSACTIONS_PER_ACCOUNT, budget.anchor(),
                    "USD");
            changes.add(from(generated, "uncleared", false, ++knowledge));
        }
        for (int n = 0; n < modifications + deletions; n++) {
            YnabTransaction current = history(budget, random.nextLong(budget.historyKnowledge()));
            changes.add(n < modifications
                    ? new YnabTransaction(current.id(), current.accountId(), current.milliunits() - 1_000,
                            current.date(), current.payee(), current.category(), "reconciled", false, ++knowledge)
                    : new YnabTransaction(current.id(), current.accountId(), current.milliunits(), current.date(),
                            current.payee(), current.category(), current.cleared(), true, ++knowledge));
        }
        budget.churn().addAll(changes);
        return changes;
    }

    private static YnabTransaction history(Budget budget, long position) {
        int account = (int) (position % ACCOUNTS);
        long index = position / ACCOUNTS;
        Transaction generated = TransactionGenerator.transaction(budget.seed(), account, index,
                TRANSACTIONS_PER_ACCOUNT, budget.anchor(), "USD");
        return from(generated, generated.pending() ? "uncleared" : "cleared", false, position + 1);
    }

    private static YnabTransaction from(Transaction generated, String cleared, boolean deleted, long knowledge) {
        // YNAB: milliunits, outflow negative (the generator's positive amount is money out)
        long milliunits = generated.amount().negate().multiply(BigDecimal.valueOf(1000)).longValueExact();
        UUID id = UUID.nameUUIDFromBytes(generated.transactionId().getBytes(StandardCharsets.UTF_8));
        UUID account = UUID.nameUUIDFromBytes(generated.accountId().getBytes(StandardCharsets.UTF_8));
        return new YnabTransaction(id.toString(), account.toString(), milliunits, generated.date(),
                generated.merchantName() == null ? generated.name() : generated.merchantName(),
                generated.primaryCategory(), cleared, deleted, knowledge);
    }
}
