-- When the user was last told that a consent or refresh token is about to run out, so it is told once.
ALTER TABLE credentials ADD COLUMN expiry_notified_at timestamptz;

CREATE INDEX credentials_hard_expiry_idx ON credentials (least(consent_expires_at, refresh_expires_at))
    WHERE state = 'active';
