package io.tributary.sandbox;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.BalanceTransaction;
import com.stripe.model.Dispute;
import com.stripe.model.Payout;
import com.stripe.model.StripeCollection;
import com.stripe.net.Webhook;
import com.stripe.param.BalanceTransactionListParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Stripe's balance transactions, payouts, disputes and balance (shared/providers.md 2.3), read with
 * Stripe's own Java library so that a drift in paths, envelope, pagination or field names fails here.
 */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class StripeApiTest {

    @TestHTTPResource("/stripe")
    URL stripeBase;

    @WebhookReceiver
    WireMockServer receiver;

    @Test
    void stripeJavaPagesEveryBalanceTransactionNewestFirstWithStartingAfter() throws Exception {
        Map<String, String> connected = Connections.stripe();
        StripeClient client = client(connected.get("token"));

        List<BalanceTransaction> all = new ArrayList<>();
        StripeCollection<BalanceTransaction> page = client.v1().balanceTransactions()
                .list(BalanceTransactionListParams.builder().setLimit(100L).build());
        assertThat(page.getHasMore()).isTrue();
        assertThat(page.getUrl()).isEqualTo("/v1/balance_transactions");
        page.autoPagingIterable().forEach(all::add);

        assertThat(all).hasSize(200);
        assertThat(all.stream().map(BalanceTransaction::getId).distinct()).hasSize(200);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).getCreated()).isLessThanOrEqualTo(all.get(i - 1).getCreated());
        }
        assertThat(all).allSatisfy(transaction -> {
            assertThat(transaction.getId()).startsWith("txn_");
            assertThat(transaction.getCurrency()).isIn("gbp", "usd");
            assertThat(transaction.getNet()).isEqualTo(transaction.getAmount() - transaction.getFee());
            assertThat(transaction.getType()).isIn("charge", "refund", "payout", "adjustment");
            assertThat(transaction.getStatus()).isIn("available", "pending");
            assertThat(transaction.getAvailableOn()).isGreaterThan(transaction.getCreated());
        });
        assertThat(all.stream().filter(t -> "charge".equals(t.getType())))
                .allSatisfy(charge -> assertThat(charge.getFeeDetails()).singleElement()
                        .satisfies(fee -> assertThat(fee.getType()).isEqualTo("stripe_fee")));

        // the same account reads the same data: deterministic from the account
        BalanceTransaction newest = client.v1().balanceTransactions().retrieve(all.get(0).getId());
        assertThat(newest.getAmount()).isEqualTo(all.get(0).getAmount());

        // created[gte] bounds the list, as an incremental sync asks for it
        long since = all.get(49).getCreated();
        List<BalanceTransaction> recent = new ArrayList<>();
        client.v1().balanceTransactions().list(BalanceTransactionListParams.builder().setLimit(100L)
                .setCreated(BalanceTransactionListParams.Created.builder().setGte(since).build()).build())
                .autoPagingIterable().forEach(recent::add);
        assertThat(recent).isNotEmpty().allSatisfy(t -> assertThat(t.getCreated()).isGreaterThanOrEqualTo(since));
        assertThat(recent.size()).isEqualTo((int) all.stream().filter(t -> t.getCreated() >= since).count());

        // ending_before gives the page just newer than an id, still newest first
        JsonPath before = given().auth().oauth2(connected.get("token")).queryParam("limit", 3)
                .queryParam("ending_before", all.get(10).getId()).get("/stripe/v1/balance_transactions")
                .then().statusCode(200).extract().jsonPath();
        assertThat(before.getList("data.id")).containsExactly(all.get(7).getId(), all.get(8).getId(),
                all.get(9).getId());
        assertThat(before.getBoolean("has_more")).isTrue();
    }

    @Test
    void payoutsAndDisputesNameTheAccountsOwnBalanceTransactions() throws Exception {
        Map<String, String> connected = Connections.stripe();
        StripeClient client = client(connected.get("token"));

        List<Payout> payouts = new ArrayList<>();
        client.v1().payouts().list(com.stripe.param.PayoutListParams.builder().setLimit(4L).build())
                .autoPagingIterable().forEach(payouts::add);
        assertThat(payouts).hasSize(10).allSatisfy(payout -> {
            assertThat(payout.getId()).startsWith("po_");
            assertThat(payout.getAmount()).isPositive();
            assertThat(payout.getStatus()).isIn("paid", "in_transit");
            assertThat(payout.getArrivalDate()).isGreaterThan(payout.getCreated());
        });
        Payout oldest = payouts.get(payouts.size() - 1);
        BalanceTransaction paidOut = client.v1().balanceTransactions().retrieve(oldest.getBalanceTransaction());
        assertThat(paidOut.getType()).isEqualTo("payout");
        assertThat(paidOut.getAmount()).isEqualTo(-oldest.getAmount());
        assertThat(paidOut.getSource()).isEqualTo(oldest.getId());
        // the balance transactions a payout paid out, by Stripe's payout filter
        List<BalanceTransaction> inPayout = new ArrayList<>();
        client.v1().balanceTransactions().list(BalanceTransactionListParams.builder().setPayout(oldest.getId())
                .setLimit(100L).build()).autoPagingIterable().forEach(inPayout::add);
        assertThat(inPayout).hasSize(20).anySatisfy(t -> assertThat(t.getId()).isEqualTo(paidOut.getId()));

        List<Dispute> disputes = new ArrayList<>();
        client.v1().disputes().list(com.stripe.param.DisputeListParams.builder().build())
                .autoPagingIterable().forEach(disputes::add);
        assertThat(disputes).hasSize(4).allSatisfy(dispute -> {
            assertThat(dispute.getId()).startsWith("dp_");
            assertThat(dispute.getCharge()).startsWith("ch_");
            assertThat(dispute.getReason()).isNotBlank();
            assertThat(dispute.getEvidenceDetails().getDueBy()).isGreaterThan(dispute.getCreated());
        });

        com.stripe.model.Balance balance = client.v1().balance().retrieve();
        assertThat(balance.getAvailable()).singleElement().satisfies(money -> {
            assertThat(money.getAmount()).isPositive();
            assertThat(money.getCurrency()).isIn("gbp", "usd");
        });
    }

    @Test
    void badRequestsAndOtherAccountsAreRefusedAsStripeRefusesThem() throws Exception {
        Map<String, String> mine = Connections.stripe();
        Map<String, String> theirs = Connections.stripe();
        String someoneElses = client(theirs.get("token")).v1().balanceTransactions()
                .list(BalanceTransactionListParams.builder().setLimit(1L).build()).getData().get(0).getId();

        // another account's id is not found in mine
        assertThatThrownBy(() -> client(mine.get("token")).v1().balanceTransactions().retrieve(someoneElses))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(error -> assertThat(((InvalidRequestException) error).getCode()).isEqualTo("resource_missing"));
        given().auth().oauth2(mine.get("token")).queryParam("limit", 101).get("/stripe/v1/balance_transactions")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("limit"));
        given().auth().oauth2(mine.get("token")).queryParam("created[gt]", "yesterday")
                .get("/stripe/v1/balance_transactions").then().statusCode(400).body("error.param", equalTo("created[gt]"));
        given().auth().oauth2(mine.get("token")).queryParam("starting_after", "txn_nope")
                .get("/stripe/v1/payouts").then().statusCode(400).body("error.code", equalTo("resource_missing"));

        // the platform key acts for a connected account through Stripe-Account, never for an unconnected one
        given().auth().oauth2("sk_test_sandbox").header("Stripe-Account", mine.get("account"))
                .get("/stripe/v1/balance").then().statusCode(200).body("object", equalTo("balance"));
        given().auth().oauth2("sk_test_sandbox").header("Stripe-Account", "acct_notconnected")
                .get("/stripe/v1/balance").then().statusCode(403);
        // a key is never echoed whole
        String wrongKey = "sk_test_wrongwrongwrong1234";
        String answer = given().auth().oauth2(wrongKey).get("/stripe/v1/balance").then().statusCode(401)
                .body("error.message", startsWith("Invalid API Key provided: sk_test_****1234")).extract().asString();
        assertThat(answer).doesNotContain(wrongKey);
        given().get("/stripe/v1/balance").then().statusCode(401);

        // after deauthorization the account's token reads nothing
        given().formParams(Map.of("client_id", "ca_sandbox", "stripe_user_id", mine.get("account"),
                "client_secret", "sk_test_sandbox")).post("/stripe/oauth/deauthorize").then().statusCode(200);
        given().auth().oauth2(mine.get("token")).get("/stripe/v1/balance").then().statusCode(401);
    }

    @Test
    void churnAddsNewestTransactionsAndSendsASignedBalanceAvailableEvent() throws Exception {
        Map<String, String> connected = Connections.stripe();
        String account = connected.get("account");
        given().contentType("application/json").body(Map.of("records", 30, "seed", 7))
                .put("/admin/books/stripe/" + account + "/balance_transactions").then().statusCode(200)
                .body("records", equalTo(30));
        StripeClient client = client(connected.get("token"));
        Set<String> before = new HashSet<>();
        client.v1().balanceTransactions().list(BalanceTransactionListParams.builder().setLimit(100L).build())
                .autoPagingIterable().forEach(t -> before.add(t.getId()));
        assertThat(before).hasSize(30);

        given().contentType("application/json").body(Map.of("added", 5))
                .post("/admin/books/stripe/" + account + "/balance_transactions/churn").then().statusCode(200)
                .body("added", equalTo(5)).body("webhook.status", equalTo(200));
        List<BalanceTransaction> newest = client.v1().balanceTransactions()
                .list(BalanceTransactionListParams.builder().setLimit(5L).build()).getData();
        assertThat(newest).extracting(BalanceTransaction::getId).doesNotContainAnyElementsOf(before);

        LoggedRequest delivery = receiver.findAll(postRequestedFor(urlEqualTo("/webhooks/stripe"))).stream()
                .filter(request -> request.getBodyAsString().contains(account)).reduce((a, b) -> b).orElseThrow();
        com.stripe.model.Event event = Webhook.constructEvent(new String(delivery.getBody(), StandardCharsets.UTF_8),
                delivery.getHeader("Stripe-Signature"), "whsec_sandbox_stripe");
        assertThat(event.getType()).isEqualTo("balance.available");
        assertThat(event.getAccount()).isEqualTo(account);

        given().contentType("application/json").body(Map.of("added", 1))
                .post("/admin/books/stripe/" + account + "/charges/churn").then().statusCode(404);
    }

    private StripeClient client(String key) {
        return StripeClient.builder().setApiKey(key).setApiBase(stripeBase.toString().replaceAll("/$", ""))
                .setMaxNetworkRetries(0).build();
    }
}
