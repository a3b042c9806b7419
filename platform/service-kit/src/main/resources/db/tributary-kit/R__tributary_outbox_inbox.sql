-- Outbox and inbox tables of the Tributary service kit, created in the service's own schema
-- (Flyway runs with it as the default schema). Repeatable and idempotent: a change here is
-- written so that it applies over any earlier version of this file.

CREATE TABLE IF NOT EXISTS outbox_events (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         uuid        NOT NULL UNIQUE,
    topic      text        NOT NULL,
    event_key  text,
    ce_type    text        NOT NULL,
    ce_source  text        NOT NULL,
    ce_time    timestamptz NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    sent_at    timestamptz
);

-- text, not jsonb: the payload is JSON the kit already checked against its schema, only ever read back
-- whole; jsonb made PostgreSQL parse it on every write and print it again on every relay read
DO
$$
BEGIN
    IF (SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema()
            AND table_name = 'outbox_events' AND column_name = 'payload') = 'jsonb' THEN
        ALTER TABLE outbox_events ALTER COLUMN payload TYPE text USING payload::text;
    END IF;
END;
$$;

COMMENT ON TABLE outbox_events IS 'Events written in the same transaction as the change they describe; the relay publishes them to Kafka in seq order';

-- the relay reads only pending rows; the purge only sent ones
CREATE INDEX IF NOT EXISTS outbox_events_pending_idx ON outbox_events (seq) WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_events_sent_at_idx ON outbox_events (sent_at) WHERE sent_at IS NOT NULL;

-- NOTIFY is delivered on commit, so the relay wakes exactly when new rows become visible
CREATE OR REPLACE FUNCTION outbox_events_notify() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('tributary_outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS outbox_events_notify ON outbox_events;
CREATE TRIGGER outbox_events_notify
    AFTER INSERT ON outbox_events
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_events_notify();

CREATE TABLE IF NOT EXISTS inbox_events (
    consumer     text        NOT NULL,
    event_id     text        NOT NULL,
    topic        text,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

COMMENT ON TABLE inbox_events IS 'Ids of consumed events whose effect committed; a redelivered id is skipped';

CREATE INDEX IF NOT EXISTS inbox_events_processed_at_idx ON inbox_events (processed_at);
