package io.tributary.bank.service;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.BankSyncRepository.ConnectionState;

/**
 * A provider's way of syncing a connection. Each writes page by page, each page in its own
 * transaction handed to the listener, and saves the connection's cursor with the last page.
 */
public interface SyncEngine {

    boolean syncs(String provider);

    Uni<PlaidSync.Outcome> run(ConnectionState connection, String accessToken, PlaidSync.PageListener listener);

    /** A connection test: the credential works and the accounts can be read; no transactions are read. */
    Uni<Void> test(ConnectionState connection, String accessToken);
}
