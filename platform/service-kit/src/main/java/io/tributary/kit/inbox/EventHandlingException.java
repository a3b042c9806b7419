package io.tributary.kit.inbox;

/**
 * A consumed event whose effect kept failing. Its message becomes the dead-letter record's
 * {@code dead-letter-reason} header, so it names the event and the cause, never payload values.
 */
public class EventHandlingException extends RuntimeException {

    public EventHandlingException(String topic, String eventId, int attempts, Throwable cause) {
        super(topic + " event " + eventId + " failed after " + attempts + " attempt(s): "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    }
}
