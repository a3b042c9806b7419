-- Alerts fired on the user's rules (banking_preferences). A low balance fires once when the balance
-- goes under the threshold and not again until it has recovered (cleared); a large transaction
-- fires once per transaction. The unique indexes make "once" hold however often a page is re-read.
CREATE TABLE balance_alerts (
    id                      uuid PRIMARY KEY,
    account_id              uuid           NOT NULL REFERENCES bank_accounts (id),
    rule                    text           NOT NULL CHECK (rule IN ('low_balance', 'large_transaction')),
    amount                  numeric(19, 4) NOT NULL,
    threshold               numeric(19, 4) NOT NULL,
    currency                char(3)        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    provider_transaction_id text,
    fired_at                timestamptz    NOT NULL DEFAULT now(),
    cleared_at              timestamptz,
    CHECK ((rule = 'large_transaction') = (provider_transaction_id IS NOT NULL))
);

CREATE UNIQUE INDEX balance_alerts_one_open_low ON balance_alerts (account_id) WHERE rule = 'low_balance' AND cleared_at IS NULL;
CREATE UNIQUE INDEX balance_alerts_one_per_transaction ON balance_alerts (account_id, provider_transaction_id)
    WHERE rule = 'large_transaction';
