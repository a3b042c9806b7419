-- Sync runs become a work queue: a replica claims a due run (FOR UPDATE SKIP LOCKED), holds it
-- under a lease it renews page by page, and a run whose replica died is claimed again when the
-- lease runs out. An integration is one connection (one Plaid item, consent or budget).

ALTER TABLE transaction_syncs
    DROP CONSTRAINT transaction_syncs_sync_type_check,
    ADD CONSTRAINT transaction_syncs_sync_type_check
        CHECK (sync_type IN ('initial', 'incremental', 'full', 'manual', 'scheduled', 'webhook', 'test')),
    -- how the job was asked for (integration-service's syncType): full, incremental or test
    ADD COLUMN requested_type text NOT NULL DEFAULT 'incremental'
        CHECK (requested_type IN ('full', 'incremental', 'test')),
    ADD COLUMN lease_until timestamptz,
    -- set anew by every claim: a replica whose lease ran out finds its writes refused
    ADD COLUMN claim_id uuid,
    ADD COLUMN pages integer NOT NULL DEFAULT 0 CHECK (pages >= 0);

-- what a replica looks for when it has a free worker
CREATE INDEX transaction_syncs_due_idx ON transaction_syncs (created_at)
    WHERE status IN ('pending', 'running');

CREATE UNIQUE INDEX bank_connections_one_per_integration ON bank_connections (integration_id) WHERE is_active;

-- The integrations this service has heard of (integration-events), as oauth-service keeps them:
-- whose they are, so the caller-scoped API tells a user's integration from another user's before
-- any connection exists.
CREATE TABLE integration_refs (
    integration_id uuid PRIMARY KEY,
    user_id        text        NOT NULL,
    provider       text        NOT NULL,
    category       text        NOT NULL,
    active         boolean     NOT NULL,
    updated_at     timestamptz NOT NULL
);
