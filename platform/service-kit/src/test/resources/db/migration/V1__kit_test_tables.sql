-- What the test application's own effects write, next to the kit's outbox and inbox.
CREATE TABLE payments (
    id        uuid PRIMARY KEY,
    reference text           NOT NULL,
    amount    numeric(19, 4) NOT NULL,
    currency  char(3)        NOT NULL
);

-- no unique key on purpose: only the inbox stands between a redelivery and a second row
CREATE TABLE applied_events (
    event_id       text        NOT NULL,
    integration_id uuid        NOT NULL,
    user_id        text        NOT NULL,
    applied_at     timestamptz NOT NULL DEFAULT now()
);
