package io.tributary.contracts;

import java.util.List;

/** A payload that is not valid JSON or does not satisfy its event's schema. */
public class InvalidEventException extends RuntimeException {

    private final List<String> violations;

    public InvalidEventException(String message, List<String> violations) {
        super(message + (violations.isEmpty() ? "" : ": " + String.join("; ", violations)));
        this.violations = List.copyOf(violations);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
        this.violations = List.of();
    }

    /** Each schema violation, as a JSON path and what is wrong there. */
    public List<String> violations() {
        return violations;
    }
}
