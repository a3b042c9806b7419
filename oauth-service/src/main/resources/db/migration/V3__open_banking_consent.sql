-- The Open Banking consent an authorization attempt asked the user to authorise, kept with the
-- credential once the code is exchanged (the ASPSP does not name it on the callback).
ALTER TABLE oauth_states ADD COLUMN consent_id text;
