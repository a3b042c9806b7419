-- oauth-service's own schema: the encrypted credential vault, pending authorizations, and what it
-- knows of integrations (a projection of integration-events).

CREATE TABLE integration_refs (
    integration_id uuid PRIMARY KEY,
    user_id        text        NOT NULL,
    provider       text        NOT NULL,
    category       text        NOT NULL,
    active         boolean     NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- every secret column holds a Tink AES-256-GCM ciphertext bound to (integration, column); key_id is
-- the Tink key that encrypted them, so rotation can find rows still under an old key
CREATE TABLE credentials (
    integration_id     uuid PRIMARY KEY,
    user_id            text        NOT NULL,
    provider           text        NOT NULL,
    kind               text        NOT NULL CHECK (kind IN ('oauth2', 'api_key', 'plaid')),
    state              text        NOT NULL CHECK (state IN ('active', 'reauth_required')),
    access_token       bytea,
    refresh_token      bytea,
    api_secret         bytea,
    token_type         text,
    scope              text,
    expires_at         timestamptz,
    refresh_expires_at timestamptz,
    consent_expires_at timestamptz,
    account            jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(account) = 'object'),
    key_id             bigint      NOT NULL,
    refreshed_at       timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CHECK (kind <> 'oauth2' OR access_token IS NOT NULL),
    CHECK (kind <> 'api_key' OR api_secret IS NOT NULL)
);

CREATE INDEX credentials_expiring_idx ON credentials (expires_at) WHERE state = 'active' AND refresh_token IS NOT NULL;
CREATE INDEX credentials_key_idx ON credentials (key_id);

-- the state itself is never stored, only its SHA-256: a dump gives no usable state
CREATE TABLE oauth_states (
    state_hash     text PRIMARY KEY,
    integration_id uuid        NOT NULL,
    user_id        text        NOT NULL,
    provider       text        NOT NULL,
    redirect_uri   text        NOT NULL,
    code_verifier  bytea,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz
);

CREATE INDEX oauth_states_expires_idx ON oauth_states (expires_at);
