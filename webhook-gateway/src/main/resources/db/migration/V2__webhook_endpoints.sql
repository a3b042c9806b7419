-- Per-connection endpoints: their own URL, signing secrets (encrypted), subscribed event types,
-- optional source allow-list. The URL's token is stored only as its SHA-256: for providers that
-- sign nothing it is the secret.
CREATE TABLE webhook_endpoints (
    id               uuid PRIMARY KEY,
    token_sha256     bytea       NOT NULL UNIQUE,
    provider         text        NOT NULL,
    integration_id   uuid,
    provider_account text,
    -- Tink AEAD of a JSON array of one or two secrets (two during a rotation); null when unsigned
    secrets          bytea,
    event_types      text[]      NOT NULL DEFAULT '{}',
    allowed_sources  cidr[]      NOT NULL DEFAULT '{}',
    active           boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- a provider account maps to one live integration, so provider-wide deliveries find their integration
CREATE UNIQUE INDEX webhook_endpoints_account_idx ON webhook_endpoints (provider, provider_account)
    WHERE active AND provider_account IS NOT NULL;
CREATE INDEX webhook_endpoints_integration_idx ON webhook_endpoints (integration_id);

ALTER TABLE webhook_events DROP COLUMN endpoint_id;
ALTER TABLE webhook_events
    ADD COLUMN endpoint_id uuid REFERENCES webhook_endpoints (id),
    ADD COLUMN integration_id uuid,
    -- the outbox row of its latest publication: published once that row is sent (or purged, being sent)
    ADD COLUMN outbox_id uuid,
    ADD COLUMN replays integer NOT NULL DEFAULT 0,
    -- what was published instead of the body, for providers that sign nothing (replays publish it again)
    ADD COLUMN hint jsonb;
UPDATE webhook_events SET verification = 'signature' WHERE verification = 'verified';
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_verification_check
    CHECK (verification IN ('signature', 'url_secret'));

CREATE INDEX webhook_events_integration_idx ON webhook_events (integration_id, received_at DESC);
CREATE INDEX webhook_events_received_at_idx ON webhook_events (received_at DESC, id DESC);
