-- webhook-gateway's own schema: every verified delivery, stored once per provider event.
CREATE TABLE webhook_events (
    id                uuid PRIMARY KEY,
    provider          text        NOT NULL,
    endpoint_id       text,
    provider_event_id text        NOT NULL,
    event_type        text        NOT NULL,
    provider_account  text,
    headers           jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(headers) = 'object'),
    body              bytea       NOT NULL,
    received_at       timestamptz NOT NULL,
    verification      text        NOT NULL,
    -- a replayed delivery finds its event here and publishes nothing
    UNIQUE (provider, provider_event_id)
);

CREATE INDEX webhook_events_received_idx ON webhook_events (provider, received_at DESC);
