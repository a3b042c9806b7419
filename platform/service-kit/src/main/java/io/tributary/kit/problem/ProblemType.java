package io.tributary.kit.problem;

import java.net.URI;

/** The stable problem types every service answers with. Clients switch on {@link #uri()}. */
public enum ProblemType {

    VALIDATION_ERROR(400, "Invalid request"),
    MALFORMED_REQUEST(400, "Malformed request"),
    BAD_REQUEST(400, "Bad request"),
    UNAUTHORIZED(401, "Authentication required"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    UNPROCESSABLE(422, "Request cannot be processed in the current state"),
    RATE_LIMITED(429, "Too many requests"),
    INTERNAL_ERROR(500, "Internal error"),
    SERVICE_UNAVAILABLE(503, "Service unavailable");

    private static final String URI_PREFIX = "urn:tributary:problem:";

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** e.g. {@code urn:tributary:problem:validation-error} */
    public URI uri() {
        return URI.create(URI_PREFIX + name().toLowerCase().replace('_', '-'));
    }

    /** The type for an HTTP status the JAX-RS layer raised on its own (routing, content negotiation). */
    static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != VALIDATION_ERROR && type != MALFORMED_REQUEST) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }
}
