package io.tributary.kit.problem;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Thrown by services for an expected client-side problem; answered as problem details. The
 * message is shown to the caller: name what is wrong, never a secret.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.FieldError> errors;
    private final Duration retryAfter;

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        this(type, detail, errors, null);
    }

    private ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors, Duration retryAfter) {
        super(detail);
        this.type = type;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    /** Another user's resource is not found either: its existence is not disclosed. */
    public static ProblemException notFound(String resource, Object id) {
        return new ProblemException(ProblemType.NOT_FOUND, resource + " " + id + " does not exist");
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(ProblemType.UNPROCESSABLE, detail);
    }

    /** 429, with {@code Retry-After} telling the caller when to come back. */
    public static ProblemException rateLimited(String detail, Duration retryAfter) {
        return new ProblemException(ProblemType.RATE_LIMITED, detail, List.of(), retryAfter);
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_ERROR, "The request has invalid fields",
                List.of(new Problem.FieldError(field, message)));
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
