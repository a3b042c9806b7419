package io.tributary.bank.service;

import io.tributary.bank.client.PlaidClient;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which Plaid page may be written while the one before it is still uncommitted. */
class PlaidPagesTest {

    private static final List<PlaidClient.Account> ACCOUNTS = List.of(account(new BigDecimal("100.00")));

    @Test
    void aPageOfNewTransactionsForTheSameAccountsGoesBesideThePreviousOne() {
        assertThat(PlaidSync.independent(page(List.of(added("t-1"), added("t-2")), List.of()),
                page(List.of(added("t-3")), List.of()))).isTrue();
    }

    @Test
    void aPageThatRemovesWaitsForThePreviousOne() {
        PlaidClient.SyncPage removing = new PlaidClient.SyncPage(ACCOUNTS, List.of(), List.of(),
                List.of(new PlaidClient.Removed("t-0", "acc")), "c", true);
        assertThat(PlaidSync.independent(page(List.of(added("t-1")), List.of()), removing)).isFalse();
    }

    @Test
    void aPostedTransactionReplacingAPendingOneWaitsForThePreviousPage() {
        PlaidClient.Transaction posted = new PlaidClient.Transaction("t-9", "acc", BigDecimal.TEN, "USD",
                LocalDate.of(2026, 11, 1), "Coffee", null, null, "online", false, "t-1");
        assertThat(PlaidSync.independent(page(List.of(added("t-1")), List.of()), page(List.of(posted), List.of())))
                .isFalse();
    }

    @Test
    void aTransactionOfThePreviousPageAgainWaitsForIt() {
        assertThat(PlaidSync.independent(page(List.of(added("t-1")), List.of()), page(List.of(), List.of(added("t-1")))))
                .isFalse();
        PlaidClient.SyncPage removedBefore = new PlaidClient.SyncPage(ACCOUNTS, List.of(), List.of(),
                List.of(new PlaidClient.Removed("t-1", "acc")), "c", true);
        assertThat(PlaidSync.independent(removedBefore, page(List.of(added("t-1")), List.of()))).isFalse();
    }

    @Test
    void accountsThatMovedWaitForThePreviousPage() {
        PlaidClient.SyncPage moved = new PlaidClient.SyncPage(List.of(account(new BigDecimal("90.00"))),
                List.of(added("t-2")), List.of(), List.of(), "c", true);
        assertThat(PlaidSync.independent(page(List.of(added("t-1")), List.of()), moved)).isFalse();
    }

    private static PlaidClient.SyncPage page(List<PlaidClient.Transaction> added,
            List<PlaidClient.Transaction> modified) {
        return new PlaidClient.SyncPage(ACCOUNTS, added, modified, List.of(), "c", true);
    }

    private static PlaidClient.Transaction added(String id) {
        return new PlaidClient.Transaction(id, "acc", BigDecimal.ONE, "USD", LocalDate.of(2026, 11, 1), "Coffee",
                null, null, "online", false, null);
    }

    private static PlaidClient.Account account(BigDecimal current) {
        return new PlaidClient.Account("acc", "Everyday", null, "0000", "depository", "checking", current, current,
                null, "USD");
    }
}
