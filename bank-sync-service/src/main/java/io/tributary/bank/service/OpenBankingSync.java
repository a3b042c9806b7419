package io.tributary.bank.service;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.client.OpenBankingClient;
import io.tributary.bank.client.PlaidClient;
import io.tributary.bank.config.BankConfig;
import io.tributary.bank.repository.BankSyncRepository;
import io.tributary.bank.repository.BankSyncRepository.ConnectionState;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of a UK Open Banking connection (HSBC, Barclays, Lloyds, Santander: one implementation):
 * the accounts and their balances, then each account's transactions page by page from the last
 * run's date less an overlap, following {@code Links.Next}; de-duplicated by {@code TransactionId}
 * through the same upserts as Plaid's, so overlapping pages and re-read days change nothing. The
 * cursor (the date the run read up to) is saved with the run's last page.
 */
@ApplicationScoped
public class OpenBankingSync implements SyncEngine {

    public static final Set<String> BANKS = Set.of("hsbc", "barclays", "lloyds", "santander");

    /** OB AccountSubType → the (type, subtype) words the account upsert understands. */
    private static final Map<String, String[]> KINDS = Map.of(
            "CurrentAccount", new String[] {"depository", "checking"},
            "Savings", new String[] {"depository", "savings"},
            "CreditCard", new String[] {"credit", "credit card"},
            "ChargeCard", new String[] {"credit", "credit card"},
            "Loan", new String[] {"loan", "loan"},
            "Mortgage", new String[] {"loan", "mortgage"},
            "PrePaidCard", new String[] {"depository", "prepaid"},
            "EMoney", new String[] {"depository", "prepaid"},
            "Wallet", new String[] {"depository", "prepaid"});

    private final OpenBankingClient bank;
    private final BankSyncRepository repository;
    private final Pool pool;
    private final BankConfig.OpenBanking config;
    private final Clock clock = Clock.systemUTC();

    public OpenBankingSync(OpenBankingClient bank, BankSyncRepository repository, Pool pool, BankConfig config) {
        this.bank = bank;
        this.repository = repository;
        this.pool = pool;
        this.config = config.openBanking();
    }

    @Override
    public boolean syncs(String provider) {
        return BANKS.contains(provider);
    }

    @Override
    public Uni<Void> test(ConnectionState connection, String token) {
        return bank.accounts(connection.provider(), token).replaceWithVoid();
    }

    @Override
    public Uni<PlaidSync.Outcome> run(ConnectionState connection, String token, PlaidSync.PageListener listener) {
        LocalDate today = LocalDate.now(clock);
        LocalDate from = connection.cursor() == null || connection.cursor().isBlank()
                ? today.minusDays(config.historyDays())
                : LocalDate.parse(connection.cursor()).minusDays(config.overlapDays());
        String provider = connection.provider();
        return bank.accounts(provider, token)
                .flatMap(accounts -> withBalances(provider, token, accounts, 0, new ArrayList<>()))
                .flatMap(accounts -> pool.withTransaction(tx -> repository.upsertAccounts(tx, connection, accounts))
                        .replaceWith(accounts))
                .flatMap(accounts -> pages(connection, token, listener, accounts.stream()
                        .map(PlaidClient.Account::accountId).toList(), 0, null, from, today,
                        new PlaidSync.Progress(0, 0, 0, 0), new HashSet<>()));
    }

    private Uni<List<PlaidClient.Account>> withBalances(String provider, String token,
            List<OpenBankingClient.Account> accounts, int index, List<PlaidClient.Account> done) {
        if (index == accounts.size()) {
            return Uni.createFrom().item(done);
        }
        OpenBankingClient.Account account = accounts.get(index);
        return bank.balances(provider, token, account.accountId()).flatMap(balances -> {
            String[] kind = KINDS.getOrDefault(account.subType(), new String[] {"other", null});
            boolean credit = "credit".equals(kind[0]) || "loan".equals(kind[0]);
            BigDecimal current = pick(balances, "ClosingBooked", "InterimBooked", "Expected")
                    .map(amount -> credit ? amount.negate() : amount).orElse(null);
            BigDecimal available = pick(balances, "InterimAvailable", "ClosingAvailable", "ForwardAvailable")
                    .orElse(null);
            done.add(new PlaidClient.Account(account.accountId(), account.name(), null, account.maskedNumber(),
                    kind[0], kind[1], current, available, null, account.currency()));
            return withBalances(provider, token, accounts, index + 1, done);
        });
    }

    /**
     * Account by account, page by page; each page in its own transaction, the very last one saving
     * the cursor. Open Banking links no booked transaction to the pending one it settles (banks
     * often book under a new TransactionId), so an account's last page also removes its pending
     * transactions in the window read that the bank listed no more.
     *
     * @param listedPending the ids of the pending transactions the bank listed so far for this account
     */
    private Uni<PlaidSync.Outcome> pages(ConnectionState connection, String token, PlaidSync.PageListener listener,
            List<String> accountIds, int index, String next, LocalDate from, LocalDate today,
            PlaidSync.Progress progress, Set<String> listedPending) {
        if (accountIds.isEmpty()) {
            return pool.withTransaction(tx -> repository.finishRun(tx, connection, today.toString())
                            .call(() -> listener.onPage(tx, page(List.of(), null, List.of()),
                                    new PlaidSync.Progress(0, 0, 0, 1), true)))
                    .replaceWith(new PlaidSync.Outcome(0, 0, 0, 1, 0, today.toString()));
        }
        String accountId = accountIds.get(index);
        return bank.transactions(connection.provider(), token, accountId, from, next).flatMap(found -> {
            boolean lastOfAccount = found.next() == null;
            boolean last = lastOfAccount && index == accountIds.size() - 1;
            List<PlaidClient.Transaction> transactions = found.transactions().stream()
                    .map(OpenBankingSync::asTransaction).toList();
            transactions.stream().filter(PlaidClient.Transaction::pending)
                    .forEach(transaction -> listedPending.add(transaction.transactionId()));
            Uni<PlaidSync.Progress> written = pool.withTransaction(tx -> repository
                    .upsertTransactions(tx, connection, transactions)
                    .flatMap(rows -> (lastOfAccount ? repository.retireUnlisted(tx, connection, accountId, from,
                            listedPending) : Uni.createFrom().item(List.<String>of()))
                            .call(retired -> last ? repository.finishRun(tx, connection, today.toString())
                                    : Uni.createFrom().voidItem())
                            .call(retired -> listener.onPage(tx, page(transactions, accountId, retired),
                                    new PlaidSync.Progress(rows.inserted(), rows.updated(), retired.size(), 1), last))
                            .map(retired -> new PlaidSync.Progress(rows.inserted(), rows.updated(), retired.size(),
                                    1))));
            return written.flatMap(counts -> {
                PlaidSync.Progress total = new PlaidSync.Progress(progress.added() + counts.added(),
                        progress.updated() + counts.updated(), progress.removed() + counts.removed(),
                        progress.pages() + 1);
                if (last) {
                    return Uni.createFrom().item(new PlaidSync.Outcome(total.added(), total.updated(),
                            total.removed(), total.pages(), 0, today.toString()));
                }
                return lastOfAccount
                        ? pages(connection, token, listener, accountIds, index + 1, null, from, today, total,
                                new HashSet<>())
                        : pages(connection, token, listener, accountIds, index, found.next(), from, today, total,
                                listedPending);
            });
        });
    }

    private static PlaidClient.SyncPage page(List<PlaidClient.Transaction> added, String accountId,
            List<String> removed) {
        return new PlaidClient.SyncPage(List.of(), added, List.of(),
                removed.stream().map(id -> new PlaidClient.Removed(id, accountId)).toList(), "", false);
    }

    private static PlaidClient.Transaction asTransaction(OpenBankingClient.Transaction transaction) {
        return new PlaidClient.Transaction(transaction.transactionId(), transaction.accountId(), transaction.amount(),
                transaction.currency(), transaction.bookedOn(), transaction.description(), transaction.merchant(),
                null, null, transaction.pending(), null);
    }

    private static Optional<BigDecimal> pick(List<OpenBankingClient.Balance> balances, String... types) {
        for (String type : types) {
            for (OpenBankingClient.Balance balance : balances) {
                if (type.equals(balance.type())) {
                    return Optional.of(balance.amount());
                }
            }
        }
        return Optional.empty();
    }
}
