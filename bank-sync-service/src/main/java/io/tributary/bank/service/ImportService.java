package io.tributary.bank.service;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.mapping.CsvStatement;
import io.tributary.bank.mapping.SyncEvents;
import io.tributary.bank.repository.ImportRepository;
import io.tributary.contracts.event.SyncedTransaction;
import io.tributary.contracts.event.TransactionChange;
import io.tributary.contracts.event.TransactionStatus;
import io.tributary.contracts.event.TransactionsSynced;
import io.tributary.kit.outbox.Outbox;
import io.tributary.kit.problem.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Imports an exported transactions file into the caller's Mint or Empower integration: every row
 * is checked on its own, the good ones are committed together (with their transactions-synced
 * batches), the bad ones are reported with their line and reason, and a row imported before adds
 * nothing.
 */
@ApplicationScoped
public class ImportService {

    /** The file-import providers of the catalogue that bank-sync-service owns. */
    static final Set<String> IMPORT_PROVIDERS = Set.of("mint", "empower");
    private static final int ROWS_PER_STATEMENT = 1000;
    private static final int REJECTIONS_SHOWN = 100;

    private final ImportRepository imports;
    private final Outbox outbox;
    private final Pool pool;

    public ImportService(ImportRepository imports, Outbox outbox, Pool pool) {
        this.imports = imports;
        this.outbox = outbox;
        this.pool = pool;
    }

    public record Report(UUID integrationId, String format, int rowsRead, int imported, int alreadyImported,
            int rejectedCount, List<CsvStatement.Rejected> rejected) {
    }

    public Uni<Report> importFile(String userId, UUID integrationId, CsvStatement.Format format,
            CsvStatement.Mapping mapping, String currency, String account, Reader file) {
        // parsed here, on the caller's worker thread, before anything runs on the event loop
        CsvStatement.Parsed parsed;
        try {
            parsed = CsvStatement.parse(file, format, mapping, currency, account);
        } catch (CsvStatement.UnreadableFile e) {
            throw ProblemException.invalid("file", e.getMessage());
        }
        return imports.ownedProvider(userId, integrationId).flatMap(provider -> {
            if (provider == null) {
                throw ProblemException.notFound("Integration", integrationId);
            }
            if (!IMPORT_PROVIDERS.contains(provider)) {
                throw ProblemException.unprocessable("Integration " + integrationId + " is a " + provider
                        + " integration; files are imported into a Mint or Empower integration");
            }
            return store(userId, integrationId, provider, parsed.rows()).map(inserted -> {
                int read = parsed.rows().size() + parsed.rejected().size();
                Log.infof("Import into integration %s: %d rows read, %d imported, %d already there, %d rejected",
                        integrationId, read, inserted, parsed.rows().size() - inserted, parsed.rejected().size());
                return new Report(integrationId, format.name().toLowerCase(java.util.Locale.ROOT), read, inserted,
                        parsed.rows().size() - inserted, parsed.rejected().size(),
                        parsed.rejected().subList(0, Math.min(REJECTIONS_SHOWN, parsed.rejected().size())));
            });
        });
    }

    private Uni<Integer> store(String userId, UUID integrationId, String provider, List<CsvStatement.Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(tx -> imports.importConnection(tx, integrationId, userId, provider)
                .flatMap(connection -> {
                    Uni<List<ImportRepository.Inserted>> chain = Uni.createFrom().item(new ArrayList<>());
                    for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                        List<CsvStatement.Row> chunk = rows.subList(from, Math.min(rows.size(),
                                from + ROWS_PER_STATEMENT));
                        chain = chain.flatMap(all -> imports.insert(tx, connection, userId, chunk).map(inserted -> {
                            all.addAll(inserted);
                            return all;
                        }));
                    }
                    return chain;
                })
                .call(inserted -> outbox.addEntries(tx, batches(userId, integrationId, provider, inserted)))
                .map(List::size));
    }

    private static List<Outbox.Entry> batches(String userId, UUID integrationId, String provider,
            List<ImportRepository.Inserted> inserted) {
        List<Outbox.Entry> entries = new ArrayList<>();
        for (int from = 0; from < inserted.size(); from += TransactionsSynced.MAX_BATCH_SIZE) {
            List<SyncedTransaction> batch = inserted.subList(from, Math.min(inserted.size(),
                            from + TransactionsSynced.MAX_BATCH_SIZE)).stream()
                    .map(row -> new SyncedTransaction(TransactionChange.ADDED, row.providerTransactionId(),
                            row.account(), row.amount().negate(), row.currency(), row.date(), null,
                            TransactionStatus.POSTED, row.name(), row.merchant(), row.category()))
                    .toList();
            entries.add(new Outbox.Entry(UUID.randomUUID(), new TransactionsSynced(integrationId, userId,
                    SyncEvents.category(provider), provider, null, batch)));
        }
        return entries;
    }
}
