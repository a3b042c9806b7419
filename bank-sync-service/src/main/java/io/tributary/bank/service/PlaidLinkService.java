package io.tributary.bank.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.client.CredentialClient;
import io.tributary.bank.client.CredentialException;
import io.tributary.bank.client.PlaidApiException;
import io.tributary.bank.client.PlaidClient;
import io.tributary.bank.repository.BankSyncRepository;
import io.tributary.bank.repository.IntegrationRef;
import io.tributary.bank.repository.IntegrationRefRepository;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plaid Link for a user's Plaid integration: a Link token for the browser, then the exchange of
 * the public token Link returns. The access token goes straight to oauth-service (which announces
 * {@code authorized}, and integration-service schedules the first sync); only the Item id, the
 * institution and the accounts are kept here.
 */
@ApplicationScoped
public class PlaidLinkService {

    private final IntegrationRefRepository integrations;
    private final BankSyncRepository bank;
    private final PlaidClient plaid;
    private final CredentialClient credentials;
    private final Pool pool;

    public PlaidLinkService(IntegrationRefRepository integrations, BankSyncRepository bank, PlaidClient plaid,
            CredentialClient credentials, Pool pool) {
        this.integrations = integrations;
        this.bank = bank;
        this.plaid = plaid;
        this.credentials = credentials;
        this.pool = pool;
    }

    /** What Link needs; {@code mode} is {@code update} when an Item of the integration needs its login repaired. */
    public record LinkToken(String linkToken, String expiration, String mode) {
    }

    public record LinkedItem(UUID connectionId, String itemId, String institutionId, String institutionName,
            List<BankSyncRepository.AccountView> accounts) {
    }

    public Uni<LinkToken> linkToken(String userId, UUID integrationId) {
        return ownedPlaidIntegration(userId, integrationId)
                .flatMap(integration -> bank.reauthRequired(integrationId))
                .flatMap(repair -> {
                    if (!repair) {
                        return plaid.linkToken(userId, null).map(token -> new LinkToken(token.linkToken(),
                                token.expiration(), "create"));
                    }
                    return credentials.usable(integrationId)
                            .flatMap(credential -> plaid.linkToken(userId, credential.accessToken()))
                            .map(token -> new LinkToken(token.linkToken(), token.expiration(), "update"));
                })
                .onFailure().transform(PlaidLinkService::problem);
    }

    public Uni<LinkedItem> exchange(String userId, UUID integrationId, String publicToken) {
        return ownedPlaidIntegration(userId, integrationId)
                .flatMap(integration -> plaid.exchange(publicToken))
                .flatMap(item -> credentials.store(integrationId, "plaid", item.accessToken(),
                                Map.of("itemId", item.itemId()))
                        // an Item whose token nobody keeps would be billed and never synced: Plaid deletes it
                        .onFailure().call(failure -> plaid.removeItem(item.accessToken())
                                .invoke(() -> Log.warnf("Plaid Item %s removed: its access token could not be stored "
                                        + "(%s)", item.itemId(), failure.getClass().getSimpleName()))
                                .onFailure().invoke(removal -> Log.errorf("Plaid Item %s could not be stored nor "
                                        + "removed (%s); remove it in Plaid's dashboard", item.itemId(),
                                        removal.getMessage()))
                                .onFailure().recoverWithNull())
                        .chain(() -> plaid.accounts(item.accessToken()))
                        .flatMap(accounts -> pool.withTransaction(tx -> bank.linkConnection(tx, integrationId, userId,
                                        item.itemId(), accounts.institutionId(), accounts.institutionName())
                                .flatMap(connection -> {
                                    if (connection == null) {
                                        throw ProblemException.conflict("This Plaid Item is linked to another "
                                                + "integration");
                                    }
                                    return bank.upsertAccounts(tx, connection, accounts.accounts())
                                            .chain(() -> bank.accountsOf(tx, connection.id()))
                                            .map(views -> new LinkedItem(connection.id(), item.itemId(),
                                                    accounts.institutionId(), accounts.institutionName(), views));
                                }))))
                .invoke(linked -> Log.infof("Plaid Item %s linked to integration %s (%d accounts)", linked.itemId(),
                        integrationId, linked.accounts().size()))
                .onFailure().transform(PlaidLinkService::problem);
    }

    private Uni<IntegrationRef> ownedPlaidIntegration(String userId, UUID integrationId) {
        return Panache.withSession(() -> integrations.findOwned(integrationId, userId)).map(integration -> {
            if (integration == null) {
                throw ProblemException.notFound("Integration", integrationId);
            }
            if (!"plaid".equals(integration.provider)) {
                throw ProblemException.unprocessable("Integration " + integrationId + " is a "
                        + integration.provider + " integration; Plaid Link connects Plaid integrations only");
            }
            return integration;
        });
    }

    /** How a failure is told to the caller; never with a token in it. */
    private static Throwable problem(Throwable failure) {
        if (failure instanceof ProblemException) {
            return failure;
        }
        if (failure instanceof PgException database && "23505".equals(database.getSqlState())) {
            return ProblemException.conflict("This integration is already linked to another Plaid Item; delete "
                    + "the integration to link a different one");
        }
        if (failure instanceof PlaidApiException plaidError) {
            if (plaidError.rateLimited()) {
                return ProblemException.rateLimited("Plaid is limiting requests; try again shortly",
                        java.time.Duration.ofSeconds(60));
            }
            if ("INVALID_PUBLIC_TOKEN".equals(plaidError.errorCode())
                    || "INVALID_LINK_TOKEN".equals(plaidError.errorCode())) {
                return ProblemException.invalid("publicToken", "Plaid refused the public token (" 
                        + plaidError.errorCode() + "); public tokens are single-use and expire after 30 minutes");
            }
            if (plaidError.passing()) {
                return new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "Plaid is not answering; try again "
                        + "shortly");
            }
            return ProblemException.unprocessable("Plaid refused the request (" + plaidError.errorCode() + ")");
        }
        if (failure instanceof CredentialException credential) {
            return credential.reason() == CredentialException.Reason.MISSING
                    ? ProblemException.unprocessable("The integration has no Plaid Item to repair yet")
                    : new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                            "The credential store is not answering; try again shortly");
        }
        return failure;
    }
}
