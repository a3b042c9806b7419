package io.tributary.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Refuses a request whose declared body exceeds {@code quarkus.http.limits.max-body-size} with
 * problem details, before the body is read. (The HTTP server itself still cuts off a chunked body
 * that grows past the limit, with a bare 413.)
 */
@ApplicationScoped
public class PayloadLimitFilter {

    private final long maxBodyBytes;
    private final ObjectMapper mapper;

    public PayloadLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
            MemorySize maxBodySize, ObjectMapper mapper) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.mapper = mapper;
    }

    void register(@Observes Filters filters) {
        filters.register(this::refuseOversizedBody, 1000);
    }

    private void refuseOversizedBody(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || !isOver(length)) {
            context.next();
            return;
        }
        Problem problem = Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "The request body is larger than " + maxBodyBytes / 1024 + " KiB", context.request().path(), List.of());
        try {
            context.response()
                    .setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(mapper.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }

    private boolean isOver(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // the HTTP server rejects a malformed length itself
        }
    }
}
