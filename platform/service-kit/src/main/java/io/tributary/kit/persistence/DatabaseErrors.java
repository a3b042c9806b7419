package io.tributary.kit.persistence;

import io.vertx.pgclient.PgException;

import java.sql.SQLException;

/** Recognises PostgreSQL errors that mean something to the caller, through any wrapping. */
public final class DatabaseErrors {

    private static final String UNIQUE_VIOLATION = "23505";

    private DatabaseErrors() {
    }

    /** A unique index refused the write: for a client, a conflict with what already exists. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // the reactive client raises PgException; Hibernate Reactive may wrap it as SQLException
            if (cause instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
