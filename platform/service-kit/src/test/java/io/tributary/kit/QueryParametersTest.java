package io.tributary.kit;

import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import io.tributary.kit.problem.QueryParameters;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParametersTest {

    @Test
    void shouldReadUuidsAndInstantsAndRefuseMalformedOnesAsBadRequestsNamingTheParameter() {
        UUID id = UUID.randomUUID();

        assertThat(QueryParameters.parseUuid("integrationId", " " + id + " ")).contains(id);
        assertThat(QueryParameters.parseUuid("integrationId", "")).isEmpty();
        assertThat(QueryParameters.parseInstant("from", "2026-11-21T12:00:00+02:00"))
                .contains(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(QueryParameters.parseInstant("from", null)).isEmpty();
        assertThatThrownBy(() -> QueryParameters.parseUuid("integrationId", "42"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.type()).isEqualTo(ProblemType.VALIDATION_ERROR);
                    assertThat(problem.errors().get(0).field()).isEqualTo("integrationId");
                });
        assertThatThrownBy(() -> QueryParameters.parseInstant("to", "yesterday"))
                .isInstanceOfSatisfying(ProblemException.class,
                        problem -> assertThat(problem.errors().get(0).field()).isEqualTo("to"));
    }
}
