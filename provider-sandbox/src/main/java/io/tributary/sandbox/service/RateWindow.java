package io.tributary.sandbox.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Calls counted in a fixed window (a minute, a day), as the providers' per-tenant limits count them. */
public final class RateWindow {

    private final ChronoUnit unit;
    private Instant start = Instant.EPOCH;
    private int used;

    public RateWindow(ChronoUnit unit) {
        this.unit = unit;
    }

    /** Counts one call; answers the calls left in the window, negative when this one is over the limit. */
    public synchronized int take(Instant now, int limit) {
        Instant current = now.truncatedTo(unit);
        if (!current.equals(start)) {
            start = current;
            used = 0;
        }
        used++;
        return limit - used;
    }

    /** Seconds until the window resets. */
    public long secondsToReset(Instant now) {
        return Math.max(1, now.truncatedTo(unit).plus(1, unit).getEpochSecond() - now.getEpochSecond());
    }
}
