-- When the provider said the user's consent runs out (Plaid PENDING_EXPIRATION / PENDING_DISCONNECT,
-- Open Banking consent expiry): the app asks the user to re-link before it happens.
ALTER TABLE bank_connections ADD COLUMN consent_expires_at timestamptz;
