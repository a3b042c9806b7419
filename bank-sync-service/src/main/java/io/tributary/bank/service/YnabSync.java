package io.tributary.bank.service;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.client.PlaidClient;
import io.tributary.bank.client.YnabClient;
import io.tributary.bank.repository.BankSyncRepository;
import io.tributary.bank.repository.BankSyncRepository.ConnectionState;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of a YNAB connection: the budget's accounts, then the transactions changed since the
 * saved {@code server_knowledge} (everything on a first run), written in pages of
 * {@value #PAGE} in order; deleted ones are removed. The new knowledge is the cursor, saved with the
 * last page, so a run cut off asks for the same delta again and the upserts make that harmless.
 */
@ApplicationScoped
public class YnabSync implements SyncEngine {

    static final int PAGE = 500;

    /** YNAB account type → the (type, subtype) words the account upsert understands. */
    private static final Map<String, String[]> KINDS = Map.ofEntries(
            Map.entry("checking", new String[] {"depository", "checking"}),
            Map.entry("savings", new String[] {"depository", "savings"}),
            Map.entry("cash", new String[] {"depository", "cash management"}),
            Map.entry("creditCard", new String[] {"credit", "credit card"}),
            Map.entry("lineOfCredit", new String[] {"credit", "line of credit"}),
            Map.entry("mortgage", new String[] {"loan", "mortgage"}),
            Map.entry("autoLoan", new String[] {"loan", "auto"}),
            Map.entry("studentLoan", new String[] {"loan", "student"}),
            Map.entry("personalLoan", new String[] {"loan", "loan"}),
            Map.entry("medicalDebt", new String[] {"loan", "loan"}),
            Map.entry("otherDebt", new String[] {"loan", "loan"}),
            Map.entry("otherAsset", new String[] {"other", null}),
            Map.entry("otherLiability", new String[] {"loan", "loan"}));

    private final YnabClient ynab;
    private final BankSyncRepository repository;
    private final Pool pool;

    public YnabSync(YnabClient ynab, BankSyncRepository repository, Pool pool) {
        this.ynab = ynab;
        this.repository = repository;
        this.pool = pool;
    }

    @Override
    public boolean syncs(String provider) {
        return "ynab".equals(provider);
    }

    @Override
    public Uni<Void> test(ConnectionState connection, String token) {
        return ynab.accounts(token).replaceWithVoid();
    }

    @Override
    public Uni<PlaidSync.Outcome> run(ConnectionState connection, String token, PlaidSync.PageListener listener) {
        long knowledge = connection.cursor() == null || connection.cursor().isBlank() ? 0
                : Long.parseLong(connection.cursor());
        return ynab.accounts(token)
                .flatMap(accounts -> ynab.currency(token).flatMap(currency -> pool.withTransaction(tx -> repository
                                .upsertAccounts(tx, connection, accounts.stream().filter(account -> !account.deleted())
                                        .map(account -> asAccount(account, currency)).toList()))
                        .chain(() -> ynab.transactions(token, knowledge))
                        .flatMap(delta -> write(connection, listener, delta, currency, 0,
                                new PlaidSync.Progress(0, 0, 0, 0)))));
    }

    private Uni<PlaidSync.Outcome> write(ConnectionState connection, PlaidSync.PageListener listener,
            YnabClient.Delta delta, String currency, int from, PlaidSync.Progress progress) {
        List<YnabClient.Transaction> all = delta.transactions();
        int to = Math.min(all.size(), from + PAGE);
        boolean last = to == all.size();
        List<PlaidClient.Transaction> upserts = new ArrayList<>();
        List<PlaidClient.Removed> removals = new ArrayList<>();
        for (YnabClient.Transaction transaction : all.subList(from, to)) {
            if (transaction.deleted()) {
                removals.add(new PlaidClient.Removed(transaction.id(), transaction.accountId()));
            } else {
                upserts.add(new PlaidClient.Transaction(transaction.id(), transaction.accountId(),
                        transaction.amount(), currency, transaction.date(),
                        transaction.payee() == null ? "(no payee)" : transaction.payee(), transaction.payee(),
                        transaction.category(), null, transaction.uncleared(), null));
            }
        }
        String cursor = String.valueOf(delta.serverKnowledge());
        PlaidClient.SyncPage page = new PlaidClient.SyncPage(List.of(), upserts, List.of(), removals, cursor, !last);
        return pool.withTransaction(tx -> repository.upsertTransactions(tx, connection, upserts)
                        .flatMap(written -> repository.remove(tx, connection, removals.stream()
                                        .map(PlaidClient.Removed::transactionId).toList())
                                .map(removed -> new PlaidSync.Progress(written.inserted(), written.updated(), removed,
                                        1)))
                        .call(counts -> last ? repository.finishRun(tx, connection, cursor)
                                : Uni.createFrom().voidItem())
                        .call(counts -> listener.onPage(tx, page, counts, last)))
                .flatMap(counts -> {
                    PlaidSync.Progress total = new PlaidSync.Progress(progress.added() + counts.added(),
                            progress.updated() + counts.updated(), progress.removed() + counts.removed(),
                            progress.pages() + 1);
                    return last ? Uni.createFrom().item(new PlaidSync.Outcome(total.added(), total.updated(),
                            total.removed(), total.pages(), 0, cursor))
                            : write(connection, listener, delta, currency, to, total);
                });
    }

    /** YNAB shows a card's debt as a negative balance; the schema keeps what is owed positive. */
    private static PlaidClient.Account asAccount(YnabClient.Account account, String currency) {
        String[] kind = KINDS.getOrDefault(account.type(), new String[] {"other", null});
        boolean liability = "credit".equals(kind[0]) || "loan".equals(kind[0]);
        return new PlaidClient.Account(account.id(), account.name(), null, null, kind[0], kind[1],
                liability ? account.balance().negate() : account.balance(), null, null, currency);
    }
}
