package io.tributary.bank.service;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.AccountRepository;
import io.tributary.bank.repository.PreferenceRepository;
import io.tributary.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The caller's accounts; another user's account is a 404, as a missing one. */
@ApplicationScoped
public class AccountService {

    private final AccountRepository accounts;
    private final PreferenceRepository preferences;

    public AccountService(AccountRepository accounts, PreferenceRepository preferences) {
        this.accounts = accounts;
        this.preferences = preferences;
    }

    public Uni<List<AccountRepository.Account>> list(String userId) {
        return accounts.list(userId);
    }

    public Uni<AccountRepository.Account> get(String userId, UUID id) {
        return accounts.find(userId, id).onItem().ifNull().failWith(() -> ProblemException.notFound("Account", id));
    }

    public Uni<Void> delete(String userId, UUID id) {
        return accounts.delete(userId, id).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("Account", id);
            }
            return null;
        });
    }

    public Uni<List<AccountRepository.Balance>> balances(String userId, UUID id, String type, Instant from, Instant to,
            int limit) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.invalid("from", "must be before to");
        }
        return get(userId, id).flatMap(account -> accounts.balances(account.id(), type, from, to, limit));
    }

    public Uni<PreferenceRepository.Preferences> preferences(String userId, UUID accountId) {
        Uni<?> owned = accountId == null ? Uni.createFrom().voidItem() : get(userId, accountId);
        return owned.flatMap(ignored -> preferences.find(userId, accountId))
                .map(found -> found != null ? found : PreferenceRepository.Preferences.defaults());
    }

    public Uni<PreferenceRepository.Preferences> savePreferences(String userId, UUID accountId,
            PreferenceRepository.Preferences chosen) {
        Uni<?> owned = accountId == null ? Uni.createFrom().voidItem() : get(userId, accountId);
        return owned.flatMap(ignored -> preferences.save(userId, accountId, chosen));
    }
}
