package io.tributary.kit.problem;

import java.util.List;

/**
 * Thrown by services for an expected client-side problem; answered as problem details. The
 * message is shown to the caller: name what is wrong, never a secret.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.FieldError> errors;

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.type = type;
        this.errors = List.copyOf(errors);
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
}
