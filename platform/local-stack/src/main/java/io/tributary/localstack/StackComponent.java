package io.tributary.localstack;

import java.util.Optional;

/** One piece of infrastructure the local stack runs. */
interface StackComponent {

    String name();

    /** Starts it and returns once it answers. */
    void start() throws Exception;

    /** Where clients reach it, for the summary. */
    String endpoint();

    /** Stops it; safe to call when it did not start. */
    void stop();

    /** The operating-system process it runs in, when that is not the launcher's own. */
    Optional<Long> pid();
}
