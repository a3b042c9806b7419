-- bank-sync-service's own schema: bank connections, accounts, balance history, transactions,
-- categories, sync runs and banking preferences. Money is numeric(19,4), never floating point.

CREATE TABLE bank_connections (
    id                uuid PRIMARY KEY,
    integration_id    uuid        NOT NULL,
    user_id           text        NOT NULL,
    provider          text        NOT NULL
        CHECK (provider IN ('plaid', 'hsbc', 'barclays', 'lloyds', 'santander', 'ynab', 'mint', 'empower', 'csv')),
    -- the Plaid item id, Open Banking consent id or YNAB budget id
    external_id       text        NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 255),
    institution_id    text,
    institution_name  text,
    institution_logo  text,
    institution_color text CHECK (institution_color ~ '^#[0-9A-Fa-f]{6}$'),
    institution_url   text,
    -- saved only after every page of a run is committed
    sync_cursor       text,
    is_active         boolean     NOT NULL DEFAULT true,
    requires_reauth   boolean     NOT NULL DEFAULT false,
    last_error        text,
    last_error_at     timestamptz,
    error_count       integer     NOT NULL DEFAULT 0 CHECK (error_count >= 0),
    maintenance_until timestamptz,
    last_sync_at      timestamptz,
    next_sync_at      timestamptz,
    sync_frequency    text        NOT NULL DEFAULT 'daily'
        CHECK (sync_frequency IN ('real_time', 'hourly', 'daily', 'weekly', 'manual')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           bigint      NOT NULL DEFAULT 0,
    UNIQUE (provider, external_id)
);

CREATE INDEX bank_connections_user_idx ON bank_connections (user_id) WHERE is_active;
CREATE INDEX bank_connections_integration_idx ON bank_connections (integration_id);
CREATE INDEX bank_connections_due_idx ON bank_connections (next_sync_at)
    WHERE is_active AND NOT requires_reauth AND sync_frequency <> 'manual';

CREATE TABLE bank_accounts (
    id                    uuid PRIMARY KEY,
    connection_id         uuid           NOT NULL REFERENCES bank_connections (id),
    -- the owner, copied from the connection so every caller-scoped query filters on one column
    user_id               text           NOT NULL,
    provider_account_id   text           NOT NULL CHECK (char_length(provider_account_id) BETWEEN 1 AND 255),
    name                  text           NOT NULL CHECK (char_length(name) BETWEEN 1 AND 255),
    official_name         text,
    mask                  text CHECK (mask ~ '^[0-9A-Za-z]{1,8}$'),
    type                  text           NOT NULL
        CHECK (type IN ('depository', 'credit', 'loan', 'investment', 'other')),
    subtype               text,
    account_type          text           NOT NULL
        CHECK (account_type IN ('checking', 'savings', 'money_market', 'credit_card', 'loan', 'mortgage',
                                'investment', 'cash', 'other')),
    status                text           NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'pending_verification', 'verified', 'suspended', 'error')),
    verification_status   text,
    current_balance       numeric(19, 4),
    available_balance     numeric(19, 4),
    credit_limit          numeric(19, 4) CHECK (credit_limit >= 0),
    payment_due           numeric(19, 4) CHECK (payment_due >= 0),
    interest_rate         numeric(7, 4) CHECK (interest_rate BETWEEN 0 AND 100),
    apr                   numeric(7, 4) CHECK (apr BETWEEN 0 AND 100),
    minimum_balance       numeric(19, 4),
    monthly_fee           numeric(19, 4) CHECK (monthly_fee >= 0),
    currency              char(3)        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- only the last four digits are ever stored
    masked_account_number text CHECK (masked_account_number ~ '^[*xX•]{0,30}[0-9]{0,4}$'),
    masked_routing_number text CHECK (masked_routing_number ~ '^[*xX•]{0,30}[0-9]{0,4}$'),
    tags                  text[]         NOT NULL DEFAULT '{}',
    notes                 text CHECK (char_length(notes) <= 2000),
    metadata              jsonb          NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    is_overdrawn          boolean GENERATED ALWAYS AS (type = 'depository' AND current_balance < 0) STORED,
    available_credit      numeric(19, 4) GENERATED ALWAYS AS (
        CASE WHEN type = 'credit' AND credit_limit IS NOT NULL THEN credit_limit - coalesce(current_balance, 0) END)
        STORED,
    deleted_at            timestamptz,
    created_at            timestamptz    NOT NULL DEFAULT now(),
    updated_at            timestamptz    NOT NULL DEFAULT now(),
    version               bigint         NOT NULL DEFAULT 0,
    UNIQUE (connection_id, provider_account_id)
);

CREATE INDEX bank_accounts_user_idx ON bank_accounts (user_id) WHERE deleted_at IS NULL;

CREATE TABLE account_balances (
    id                uuid PRIMARY KEY,
    account_id        uuid           NOT NULL REFERENCES bank_accounts (id),
    balance_type      text           NOT NULL
        CHECK (balance_type IN ('current', 'available', 'pending', 'overdraft', 'credit_limit', 'payment_due',
                                'last_payment')),
    amount            numeric(19, 4) NOT NULL,
    currency          char(3)        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    as_of             timestamptz    NOT NULL,
    is_current        boolean        NOT NULL DEFAULT true,
    source            text           NOT NULL DEFAULT 'provider' CHECK (source IN ('provider', 'manual', 'calculated')),
    -- filled on write from the row it replaces as current
    previous_amount   numeric(19, 4),
    change_amount     numeric(19, 4),
    change_percentage numeric(12, 4),
    created_at        timestamptz    NOT NULL DEFAULT now()
);

-- exactly one current balance per account and type
CREATE UNIQUE INDEX account_balances_one_current ON account_balances (account_id, balance_type) WHERE is_current;
CREATE INDEX account_balances_history_idx ON account_balances (account_id, balance_type, as_of DESC);

-- A new current balance takes over from the old one and records the change against it, so no
-- writer can forget to, and two writers cannot both leave a current row (the unique index above).
CREATE FUNCTION account_balances_take_over() RETURNS trigger
    LANGUAGE plpgsql
    -- the schema Flyway migrates in, whatever the writer's search_path
    SET search_path FROM CURRENT AS
$$
DECLARE
    previous numeric(19, 4);
BEGIN
    IF NEW.is_current THEN
        UPDATE account_balances SET is_current = false
        WHERE account_id = NEW.account_id AND balance_type = NEW.balance_type AND is_current
        RETURNING amount INTO previous;
        IF previous IS NOT NULL THEN
            NEW.previous_amount := previous;
            NEW.change_amount := NEW.amount - previous;
            NEW.change_percentage := CASE WHEN previous <> 0
                THEN round((NEW.amount - previous) / abs(previous) * 100, 4) END;
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER account_balances_take_over
    BEFORE INSERT ON account_balances
    FOR EACH ROW EXECUTE FUNCTION account_balances_take_over();

CREATE TABLE categories (
    id            uuid PRIMARY KEY,
    -- null for the system's categories, which every user sees
    user_id       text,
    name          text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    kind          text        NOT NULL CHECK (kind IN ('income', 'expense', 'transfer')),
    parent_id     uuid REFERENCES categories (id),
    -- the provider category (Plaid's personal finance category) a system category stands for
    provider_code text,
    color         text CHECK (color ~ '^#[0-9A-Fa-f]{6}$'),
    icon          text CHECK (char_length(icon) <= 40),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS NULL OR parent_id <> id)
);

CREATE UNIQUE INDEX categories_name_uq ON categories (coalesce(user_id, ''), parent_id, lower(name)) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX categories_provider_code_uq ON categories (provider_code) WHERE user_id IS NULL;

-- the system categories: Plaid's personal finance categories (primary)
INSERT INTO categories (id, user_id, name, kind, provider_code, color, icon)
SELECT md5('system-category:' || code)::uuid, NULL, name, kind, code, color, icon
FROM (VALUES
    ('INCOME', 'Income', 'income', '#2E7D32', 'cash'),
    ('TRANSFER_IN', 'Transfers in', 'transfer', '#546E7A', 'arrow-down'),
    ('TRANSFER_OUT', 'Transfers out', 'transfer', '#546E7A', 'arrow-up'),
    ('LOAN_PAYMENTS', 'Loan payments', 'expense', '#6D4C41', 'bank'),
    ('BANK_FEES', 'Bank fees', 'expense', '#8D6E63', 'receipt'),
    ('ENTERTAINMENT', 'Entertainment', 'expense', '#AD1457', 'film'),
    ('FOOD_AND_DRINK', 'Food and drink', 'expense', '#EF6C00', 'utensils'),
    ('GENERAL_MERCHANDISE', 'Shopping', 'expense', '#6A1B9A', 'shopping-bag'),
    ('HOME_IMPROVEMENT', 'Home improvement', 'expense', '#4E342E', 'hammer'),
    ('MEDICAL', 'Medical', 'expense', '#C62828', 'heart'),
    ('PERSONAL_CARE', 'Personal care', 'expense', '#D81B60', 'spa'),
    ('GENERAL_SERVICES', 'Services', 'expense', '#455A64', 'briefcase'),
    ('GOVERNMENT_AND_NON_PROFIT', 'Taxes and donations', 'expense', '#37474F', 'landmark'),
    ('TRANSPORTATION', 'Transportation', 'expense', '#1565C0', 'car'),
    ('TRAVEL', 'Travel', 'expense', '#00838F', 'plane'),
    ('RENT_AND_UTILITIES', 'Rent and utilities', 'expense', '#283593', 'home')
) AS system (code, name, kind, color, icon);

CREATE TABLE transactions (
    id                      uuid PRIMARY KEY,
    account_id              uuid           NOT NULL REFERENCES bank_accounts (id),
    user_id                 text           NOT NULL,
    provider_transaction_id text           NOT NULL CHECK (char_length(provider_transaction_id) BETWEEN 1 AND 255),
    -- money out is positive (Plaid's convention); every provider is mapped to it
    amount                  numeric(19, 4) NOT NULL,
    currency                char(3)        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    transaction_date        date           NOT NULL,
    transaction_datetime    timestamptz,
    authorized_date         date,
    name                    text           NOT NULL CHECK (char_length(name) BETWEEN 1 AND 500),
    merchant_name           text,
    provider_category       text,
    category_id             uuid REFERENCES categories (id),
    payment_channel         text CHECK (payment_channel IN ('online', 'in_store', 'other')),
    pending                 boolean        NOT NULL DEFAULT false,
    -- on a posted transaction: the provider id of the pending one it replaced
    pending_transaction_id  text,
    is_manual               boolean        NOT NULL DEFAULT false,
    notes                   text CHECK (char_length(notes) <= 2000),
    custom_fields           jsonb          NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom_fields) = 'object'),
    -- a file import's row fingerprint: the same row imported again adds nothing
    import_hash             text,
    removed_at              timestamptz,
    search                  tsvector GENERATED ALWAYS AS (to_tsvector('simple',
        coalesce(name, '') || ' ' || coalesce(merchant_name, '') || ' ' || coalesce(notes, ''))) STORED,
    created_at              timestamptz    NOT NULL DEFAULT now(),
    updated_at              timestamptz    NOT NULL DEFAULT now(),
    UNIQUE (account_id, provider_transaction_id)
);

-- the caller's list, newest first with a keyset cursor (date, id)
CREATE INDEX transactions_user_date_idx ON transactions (user_id, transaction_date DESC, id DESC)
    WHERE removed_at IS NULL;
CREATE INDEX transactions_account_date_idx ON transactions (account_id, transaction_date DESC, id DESC)
    WHERE removed_at IS NULL;
CREATE INDEX transactions_category_idx ON transactions (category_id) WHERE removed_at IS NULL;
CREATE INDEX transactions_pending_idx ON transactions (account_id) WHERE pending AND removed_at IS NULL;
CREATE INDEX transactions_search_idx ON transactions USING gin (search);
CREATE UNIQUE INDEX transactions_import_uq ON transactions (account_id, import_hash) WHERE import_hash IS NOT NULL;

CREATE TABLE transaction_syncs (
    id                uuid PRIMARY KEY,
    connection_id     uuid        NOT NULL REFERENCES bank_connections (id),
    account_id        uuid REFERENCES bank_accounts (id),
    -- the integration-service job this run answers; a redelivered request finds it here
    sync_job_id       uuid,
    sync_type         text        NOT NULL
        CHECK (sync_type IN ('initial', 'incremental', 'full', 'manual', 'scheduled', 'webhook')),
    status            text        NOT NULL
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'rate_limited')),
    started_at        timestamptz,
    completed_at      timestamptz,
    duration_ms       bigint GENERATED ALWAYS AS (
        (extract(epoch FROM (completed_at - started_at)) * 1000)::bigint) STORED,
    -- the cursor the run began with: a mutation during pagination restarts from it
    cursor_before     text,
    records_processed integer     NOT NULL DEFAULT 0 CHECK (records_processed >= 0),
    records_added     integer     NOT NULL DEFAULT 0 CHECK (records_added >= 0),
    records_updated   integer     NOT NULL DEFAULT 0 CHECK (records_updated >= 0),
    records_deleted   integer     NOT NULL DEFAULT 0 CHECK (records_deleted >= 0),
    records_failed    integer     NOT NULL DEFAULT 0 CHECK (records_failed >= 0),
    error_code        text,
    error_message     text,
    retry_count       integer     NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
    retry_after       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (completed_at IS NULL OR started_at IS NULL OR completed_at >= started_at)
);

CREATE UNIQUE INDEX transaction_syncs_job_uq ON transaction_syncs (sync_job_id) WHERE sync_job_id IS NOT NULL;
-- one run of a connection at a time
CREATE UNIQUE INDEX transaction_syncs_one_active ON transaction_syncs (connection_id)
    WHERE status IN ('pending', 'running');
CREATE INDEX transaction_syncs_connection_idx ON transaction_syncs (connection_id, created_at DESC);
CREATE INDEX transaction_syncs_account_idx ON transaction_syncs (account_id, created_at DESC);

CREATE TABLE banking_preferences (
    id                          uuid PRIMARY KEY,
    user_id                     text        NOT NULL,
    -- null: the user's defaults; set: one account's own
    account_id                  uuid REFERENCES bank_accounts (id),
    sync_preferences            jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(sync_preferences) = 'object'),
    balance_alerts_enabled      boolean     NOT NULL DEFAULT true,
    low_balance_threshold       numeric(19, 4),
    large_transaction_threshold numeric(19, 4) CHECK (large_transaction_threshold > 0),
    unusual_activity_alerts     boolean     NOT NULL DEFAULT false,
    alert_channels              text[]      NOT NULL DEFAULT '{}'
        CHECK (alert_channels <@ ARRAY ['email', 'push', 'sms', 'webhook']::text[]),
    display_currency            char(3) CHECK (display_currency ~ '^[A-Z]{3}$'),
    date_format                 text CHECK (char_length(date_format) <= 32),
    account_alias               text CHECK (char_length(account_alias) <= 80),
    account_color               text CHECK (account_color ~ '^#[0-9A-Fa-f]{6}$'),
    account_icon                text CHECK (char_length(account_icon) <= 40),
    hidden                      boolean     NOT NULL DEFAULT false,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX banking_preferences_scope_uq ON banking_preferences (user_id, account_id) NULLS NOT DISTINCT;

-- Accounts a user sees: not deleted, on a live connection, with their display preferences.
CREATE VIEW active_accounts AS
SELECT a.*, c.provider, c.institution_name, c.requires_reauth,
       p.account_alias, p.account_color, p.account_icon, coalesce(p.hidden, false) AS hidden
FROM bank_accounts a
JOIN bank_connections c ON c.id = a.connection_id
LEFT JOIN banking_preferences p ON p.account_id = a.id AND p.user_id = a.user_id
WHERE a.deleted_at IS NULL AND c.is_active AND a.status <> 'suspended';

-- Sync statistics per account: runs of its connection (or of the account alone).
CREATE VIEW account_sync_statistics AS
SELECT a.id AS account_id, a.user_id,
       count(s.id)                                              AS total_syncs,
       count(s.id) FILTER (WHERE s.status = 'completed')        AS successful_syncs,
       count(s.id) FILTER (WHERE s.status = 'failed')           AS failed_syncs,
       max(s.completed_at) FILTER (WHERE s.status = 'completed') AS last_successful_sync_at,
       round(avg(s.duration_ms) FILTER (WHERE s.status = 'completed'))::bigint AS average_duration_ms,
       coalesce(sum(s.records_added), 0)                        AS records_added
FROM bank_accounts a
LEFT JOIN transaction_syncs s ON s.connection_id = a.connection_id AND (s.account_id IS NULL OR s.account_id = a.id)
WHERE a.deleted_at IS NULL
GROUP BY a.id, a.user_id;

-- A user's position per currency: assets, liabilities and their difference.
CREATE VIEW user_account_summary AS
SELECT user_id, currency,
       count(*)                                                                           AS accounts,
       coalesce(sum(current_balance) FILTER (WHERE type IN ('depository', 'investment')), 0) AS assets,
       coalesce(sum(current_balance) FILTER (WHERE type IN ('credit', 'loan')), 0)           AS liabilities,
       coalesce(sum(current_balance) FILTER (WHERE type IN ('depository', 'investment')), 0)
           - coalesce(sum(current_balance) FILTER (WHERE type IN ('credit', 'loan')), 0)     AS net_worth,
       count(*) FILTER (WHERE is_overdrawn)                                               AS overdrawn_accounts
FROM active_accounts
GROUP BY user_id, currency;
