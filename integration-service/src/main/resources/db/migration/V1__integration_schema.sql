-- integration-service's own schema: integrations, their sync jobs and their activity log.

CREATE TABLE integrations (
    id                    uuid PRIMARY KEY,
    user_id               text        NOT NULL,
    name                  text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
    integration_type      text        NOT NULL
        CHECK (integration_type IN ('bank', 'accounting', 'payment', 'crm', 'aggregator', 'tax')),
    provider              text        NOT NULL CHECK (provider ~ '^[a-z0-9_]{2,40}$'),
    status                text        NOT NULL
        CHECK (status IN ('connected', 'disconnected', 'error', 'syncing', 'reauth_required', 'inactive')),
    config                jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    metadata              jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    sync_frequency        text        NOT NULL
        CHECK (sync_frequency IN ('realtime', 'hourly', 'daily', 'weekly', 'manual', 'custom')),
    sync_interval_minutes integer CHECK (sync_interval_minutes BETWEEN 5 AND 43200),
    last_sync_at          timestamptz,
    next_sync_at          timestamptz,
    last_error            text,
    error_count           integer     NOT NULL DEFAULT 0 CHECK (error_count >= 0),
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    is_active             boolean     NOT NULL DEFAULT true,
    version               bigint      NOT NULL DEFAULT 0,
    -- a number of minutes is given exactly when the frequency is custom
    CHECK ((sync_frequency = 'custom') = (sync_interval_minutes IS NOT NULL))
);

CREATE INDEX integrations_user_idx ON integrations (user_id, created_at DESC) WHERE is_active;
CREATE INDEX integrations_due_idx ON integrations (next_sync_at)
    WHERE is_active AND status = 'connected' AND sync_frequency <> 'manual';
CREATE UNIQUE INDEX integrations_user_name_uq ON integrations (user_id, lower(name)) WHERE is_active;

CREATE TABLE sync_jobs (
    id              uuid PRIMARY KEY,
    integration_id  uuid        NOT NULL REFERENCES integrations (id),
    sync_type       text        NOT NULL CHECK (sync_type IN ('full', 'incremental', 'test')),
    trigger         text        NOT NULL CHECK (trigger IN ('manual', 'scheduled', 'webhook')),
    status          text        NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    completed_at    timestamptz,
    records_added   bigint      NOT NULL DEFAULT 0 CHECK (records_added >= 0),
    records_updated bigint      NOT NULL DEFAULT 0 CHECK (records_updated >= 0),
    records_deleted bigint      NOT NULL DEFAULT 0 CHECK (records_deleted >= 0),
    records_failed  bigint      NOT NULL DEFAULT 0 CHECK (records_failed >= 0),
    error_code      text,
    error_message   text
);

-- at most one sync of an integration at a time, whoever asks for it
CREATE UNIQUE INDEX sync_jobs_one_active_per_integration ON sync_jobs (integration_id)
    WHERE status IN ('pending', 'running');
CREATE INDEX sync_jobs_integration_idx ON sync_jobs (integration_id, created_at DESC);

CREATE TABLE integration_logs (
    id             uuid PRIMARY KEY,
    integration_id uuid        NOT NULL REFERENCES integrations (id),
    action         text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('success', 'failure', 'info')),
    message        text        NOT NULL,
    details        jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(details) = 'object'),
    created_at     timestamptz NOT NULL
);

CREATE INDEX integration_logs_integration_idx ON integration_logs (integration_id, created_at DESC);
