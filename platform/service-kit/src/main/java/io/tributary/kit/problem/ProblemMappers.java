package io.tributary.kit.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Answers every error of a REST endpoint with RFC 9457 problem details. */
public class ProblemMappers {

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ProblemException e, UriInfo uri) {
        Problem problem = Problem.of(e.type(), e.getMessage(), path(uri), e.errors());
        RestResponse.ResponseBuilder<Problem> response = RestResponse.ResponseBuilder.<Problem>create(problem.status())
                .entity(problem).type(Problem.MEDIA_TYPE);
        // whole seconds, at least one: what HTTP's Retry-After can say
        e.retryAfter().ifPresent(wait -> response.header("Retry-After",
                Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
        return response.build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldError(fieldOf(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(Problem.of(ProblemType.VALIDATION_ERROR, "The request has invalid fields", path(uri), errors));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> malformedJson(JsonParseException e, UriInfo uri) {
        // the location only: the parser's own message quotes the body
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return respond(Problem.of(ProblemType.MALFORMED_REQUEST, "The request body is not valid JSON" + where,
                path(uri), List.of()));
    }

    /** Named exactly, or Quarkus's own mapper for this type would answer instead of ours. */
    @ServerExceptionMapper
    public RestResponse<Problem> mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return wrongType(e, uri);
    }

    @ServerExceptionMapper
    public RestResponse<Problem> wrongType(JsonMappingException e, UriInfo uri) {
        String field = fieldOf(e.getPath());
        String message;
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            message = "must be one of " + enumValues(invalid.getTargetType());
        } else if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException refused) {
            message = refused.getMessage(); // our own value types explain what they accept
        } else if (e instanceof MismatchedInputException mismatch) {
            message = "must be " + describe(mismatch.getTargetType());
        } else {
            message = "has an invalid value";
        }
        return respond(Problem.of(ProblemType.VALIDATION_ERROR, "The request has invalid fields", path(uri),
                List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, message))));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unreadableJson(JsonProcessingException e, UriInfo uri) {
        return respond(Problem.of(ProblemType.MALFORMED_REQUEST, "The request body cannot be read as the expected JSON",
                path(uri), List.of()));
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public RestResponse<Problem> unauthorized(RuntimeException e, UriInfo uri) {
        return RestResponse.ResponseBuilder
                .create(RestResponse.Status.UNAUTHORIZED, Problem.of(ProblemType.UNAUTHORIZED,
                        "A valid bearer token is required", path(uri), List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(Problem.MEDIA_TYPE)
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problem.of(ProblemType.FORBIDDEN, "You are not allowed to do this", path(uri), List.of()));
    }

    @ServerExceptionMapper
    public RestResponse<Problem> webApplication(WebApplicationException e, UriInfo uri) {
        // the JSON reader wraps Jackson's exceptions in a plain 400
        if (e.getCause() instanceof JsonParseException parse) {
            return malformedJson(parse, uri);
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return wrongType(mapping, uri);
        }
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        ProblemType type = ProblemType.forStatus(status);
        RestResponse.ResponseBuilder<Problem> response = RestResponse.ResponseBuilder
                .<Problem>create(status)
                .entity(Problem.of(type, detailFor(type), path(uri), List.of()))
                .type(Problem.MEDIA_TYPE);
        copyHeader(e, response, HttpHeaders.ALLOW);
        copyHeader(e, response, HttpHeaders.RETRY_AFTER);
        return response.build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        UUID reference = UUID.randomUUID();
        Log.errorf(e, "Unexpected error answering %s (reference %s)", path(uri), reference);
        return respond(Problem.of(ProblemType.INTERNAL_ERROR,
                "An unexpected error occurred; quote reference " + reference + " when reporting it", path(uri),
                List.of()));
    }

    static RestResponse<Problem> respond(Problem problem) {
        return RestResponse.ResponseBuilder.<Problem>create(problem.status()).entity(problem).type(Problem.MEDIA_TYPE)
                .build();
    }

    private static String detailFor(ProblemType type) {
        return switch (type) {
            case NOT_FOUND -> "Nothing is found at this path";
            case METHOD_NOT_ALLOWED -> "This path does not accept this method";
            case NOT_ACCEPTABLE -> "This resource can only answer application/json";
            case UNSUPPORTED_MEDIA_TYPE -> "Send the request body as application/json";
            case PAYLOAD_TOO_LARGE -> "The request body is too large";
            default -> type.title();
        };
    }

    private static void copyHeader(WebApplicationException e, RestResponse.ResponseBuilder<Problem> response, String name) {
        Object value = e.getResponse().getHeaders().getFirst(name);
        if (value != null) {
            response.header(name, value);
        }
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    /** {@code create.request.name} becomes {@code name}; a query or path parameter keeps its own name. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = new ArrayList<>();
        violation.getPropertyPath().forEach(nodes::add);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            boolean beanProperties = i + 1 < nodes.size();
            if (node.getKind() == ElementKind.METHOD || (node.getKind() == ElementKind.PARAMETER && beanProperties)) {
                continue;
            }
            String name = node.getName() == null ? "" : node.getName();
            names.add(node.getIndex() != null ? "[" + node.getIndex() + "]" + (name.isEmpty() ? "" : "." + name) : name);
        }
        return String.join(".", names).replace(".[", "[").replace("].", "].");
    }

    private static String fieldOf(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String enumValues(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(constant -> QueryParameters.wireName((Enum<?>) constant))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == UUID.class) {
            return "a string";
        }
        if (Iterable.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
