package io.tributary.integration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How often an integration syncs: {@code realtime} (webhook-driven, with an hourly safety net),
 * {@code hourly}, {@code daily}, {@code weekly}, {@code manual}, or a number of minutes
 * ({@value #MIN_MINUTES} to {@value #MAX_MINUTES}). In JSON it is that word or that number.
 */
public record SyncFrequency(Kind kind, Integer minutes) {

    public static final int MIN_MINUTES = 5;
    public static final int MAX_MINUTES = 43_200;

    public enum Kind { REALTIME, HOURLY, DAILY, WEEKLY, MANUAL, CUSTOM }

    public SyncFrequency {
        if ((kind == Kind.CUSTOM) != (minutes != null)) {
            throw new IllegalArgumentException("minutes are given exactly for a custom frequency");
        }
        if (minutes != null && (minutes < MIN_MINUTES || minutes > MAX_MINUTES)) {
            throw new IllegalArgumentException(
                    "must be between " + MIN_MINUTES + " and " + MAX_MINUTES + " minutes, got " + minutes);
        }
    }

    public static SyncFrequency of(Kind kind) {
        return new SyncFrequency(kind, null);
    }

    public static SyncFrequency everyMinutes(int minutes) {
        return new SyncFrequency(Kind.CUSTOM, minutes);
    }

    /** Reads {@code "daily"} or {@code 90}; anything else is an IllegalArgumentException naming what is allowed. */
    @JsonCreator
    public static SyncFrequency parse(Object value) {
        if (value instanceof Number number) {
            if (number.doubleValue() != Math.rint(number.doubleValue())) {
                throw new IllegalArgumentException("a number of minutes must be a whole number");
            }
            return everyMinutes(number.intValue());
        }
        if (value instanceof String text) {
            String word = text.trim().toUpperCase(Locale.ROOT);
            if (!word.equals(Kind.CUSTOM.name())) {
                for (Kind kind : Kind.values()) {
                    if (kind.name().equals(word)) {
                        return of(kind);
                    }
                }
            }
        }
        throw new IllegalArgumentException(
                "must be realtime, hourly, daily, weekly, manual, or a number of minutes");
    }

    @JsonValue
    public Object toJson() {
        return kind == Kind.CUSTOM ? minutes : kind.name().toLowerCase(Locale.ROOT);
    }

    /** Time between scheduled syncs; empty for manual. Realtime relies on webhooks and polls hourly as a safety net. */
    public Optional<Duration> interval() {
        return switch (kind) {
            case REALTIME, HOURLY -> Optional.of(Duration.ofHours(1));
            case DAILY -> Optional.of(Duration.ofDays(1));
            case WEEKLY -> Optional.of(Duration.ofDays(7));
            case CUSTOM -> Optional.of(Duration.ofMinutes(minutes));
            case MANUAL -> Optional.empty();
        };
    }

    /** The column value: the kind's name in lower case. */
    public String columnValue() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    public static SyncFrequency fromColumns(String kind, Integer minutes) {
        return new SyncFrequency(Kind.valueOf(kind.toUpperCase(Locale.ROOT)), minutes);
    }
}
