package io.tributary.kit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.tributary.testsupport.InfrastructureTestResource;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class ProblemDetailsTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void shouldListEveryInvalidFieldOfABody() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"\", \"amount\": \"0\", \"kind\": \"BANK\", \"tags\": [\"a\",\"b\",\"c\",\"d\"]}")
                .when().post("/test/widgets")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:validation-error"))
                .body("status", equalTo(400))
                .body("instance", equalTo("/test/widgets"))
                .body("errors.field", equalTo(java.util.List.of("amount", "name", "tags")));
    }

    @Test
    void shouldNameAQueryParameterThatIsOutOfRange() {
        given().queryParam("size", 1000)
                .when().get("/test/widgets")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors.field", hasItem("size"));
    }

    @Test
    void shouldAnswerMalformedJsonWithoutEchoingIt() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"my-secret-value\", ")
                .when().post("/test/widgets")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:malformed-request"))
                .body(not(containsString("my-secret-value")));
    }

    @Test
    void shouldNameAFieldOfTheWrongTypeOrAnUnknownEnumValue() {
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"w\", \"amount\": \"1\", \"kind\": \"SPACESHIP\"}")
                .when().post("/test/widgets")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("kind"))
                .body("errors[0].message", containsString("BANK"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"w\", \"amount\": {\"a\": 1}, \"kind\": \"BANK\"}")
                .when().post("/test/widgets")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("amount"));
        given().contentType(ContentType.JSON)
                .body("{\"name\": [\"a\", \"list\"], \"amount\": \"1\", \"kind\": \"BANK\"}")
                .when().post("/test/widgets")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", equalTo("must be a string"));
    }

    @Test
    void shouldRejectAMissingBody() {
        given().contentType(ContentType.JSON)
                .when().post("/test/widgets")
                .then().statusCode(400)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void shouldAnswerNotFoundAndConflictFromTheService() {
        UUID id = UUID.randomUUID();
        given().when().get("/test/widgets/" + id)
                .then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:not-found"))
                .body("detail", equalTo("Widget " + id + " does not exist"));
        given().when().post("/test/widgets/" + id + "/sync")
                .then().statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:conflict"));
    }

    @Test
    void shouldTellARateLimitedCallerWhenToComeBackInWholeSeconds() {
        given().when().post("/test/widgets/" + UUID.randomUUID() + "/export")
                .then().statusCode(429)
                .contentType(PROBLEM_JSON)
                .header("Retry-After", "2")
                .body("type", equalTo("urn:tributary:problem:rate-limited"));
    }

    @Test
    void shouldAnswerRoutingFailuresAsProblems() {
        given().when().get("/test/widgets/not-a-uuid")
                .then().statusCode(404)
                .contentType(PROBLEM_JSON);
        given().when().get("/test/nothing-here")
                .then().statusCode(404)
                .contentType(PROBLEM_JSON);
        given().when().delete("/test/widgets")
                .then().statusCode(405)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:method-not-allowed"));
        given().contentType(ContentType.XML).body("<widget/>")
                .when().post("/test/widgets")
                .then().statusCode(415)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:unsupported-media-type"));
    }

    @Test
    void shouldRefuseATooLargeBody() {
        String huge = "{\"name\": \"" + "x".repeat(100 * 1024) + "\", \"amount\": \"1\", \"kind\": \"BANK\"}";
        given().contentType(ContentType.JSON).body(huge)
                .when().post("/test/widgets")
                .then().statusCode(413)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:payload-too-large"));
    }

    @Test
    void shouldAskAnAnonymousCallerToAuthenticate() {
        given().when().get("/test/widgets/admin")
                .then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:unauthorized"));
    }

    @Test
    @TestSecurity(user = "alice", roles = "user")
    void shouldForbidAnAuthenticatedCallerWithoutTheRole() {
        given().when().get("/test/widgets/admin")
                .then().statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:forbidden"));
    }

    @Test
    @TestSecurity(user = "root", roles = "admin")
    void shouldLetTheRoleThrough() {
        given().when().get("/test/widgets/admin")
                .then().statusCode(200)
                .body("$", hasSize(1));
    }

    @Test
    void shouldHideTheInternalsOfAnUnexpectedError() {
        given().when().get("/test/widgets/boom")
                .then().statusCode(500)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tributary:problem:internal-error"))
                .body("detail", containsString("reference"))
                .body("stackTrace", nullValue())
                .body(not(containsString("internal-7")))
                .body(not(containsString("db-primary")))
                .body(not(containsString("IllegalStateException")));
    }
}
