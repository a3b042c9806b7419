package io.tributary.sandbox.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Account-access consents of the Open Banking ASPSPs (providers.md 1.5): created by the TPP
 * ({@code AwaitingAuthorisation}), authorised by the user at the bank's authorize page, revoked by
 * the TPP's DELETE. The data of a consent is generated from its id.
 */
@ApplicationScoped
public class OpenBankingConsents {

    public static final List<String> ALL_PERMISSIONS = List.of("ReadAccountsBasic", "ReadAccountsDetail",
            "ReadBalances", "ReadTransactionsBasic", "ReadTransactionsCredits", "ReadTransactionsDebits",
            "ReadTransactionsDetail");

    public record Consent(String consentId, String bank, String status, List<String> permissions, Instant created,
            Instant updated, Instant expiration) {

        Consent with(String newStatus) {
            return new Consent(consentId, bank, newStatus, permissions, created, Instant.now().truncatedTo(
                    ChronoUnit.SECONDS), expiration);
        }

        /** Same id, same data. */
        public long seed() {
            return consentId.hashCode() * 0x9E3779B97F4A7C15L;
        }
    }

    private final Map<String, Consent> consents = new ConcurrentHashMap<>();

    public Consent create(String bank, List<String> permissions, Instant expiration) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Consent consent = new Consent("urn-" + bank + "-intent-" + UUID.randomUUID(), bank, "AwaitingAuthorisation",
                List.copyOf(permissions), now, now, expiration);
        consents.put(consent.consentId(), consent);
        return consent;
    }

    public Optional<Consent> get(String bank, String consentId) {
        return Optional.ofNullable(consentId == null ? null : consents.get(consentId))
                .filter(consent -> consent.bank().equals(bank));
    }

    /** The user approved at the bank; a consent the TPP did not create first is made on the spot. */
    public Consent authorise(String bank, String consentId) {
        if (consentId == null) {
            Consent consent = create(bank, ALL_PERMISSIONS, Instant.now().plus(90, ChronoUnit.DAYS)
                    .truncatedTo(ChronoUnit.SECONDS)).with("Authorised");
            consents.put(consent.consentId(), consent);
            return consent;
        }
        Consent consent = get(bank, consentId)
                .filter(found -> "AwaitingAuthorisation".equals(found.status()))
                .orElseThrow(() -> OAuthError.invalidRequest("The consent is unknown or not awaiting authorisation"));
        Consent authorised = consent.with("Authorised");
        consents.put(consentId, authorised);
        return authorised;
    }

    public Optional<Consent> revoke(String bank, String consentId) {
        return get(bank, consentId).map(consent -> {
            Consent revoked = consent.with("Revoked");
            consents.put(consentId, revoked);
            return revoked;
        });
    }
}
