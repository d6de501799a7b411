-- 016_key_file.sql — server keys: secrets out of the database, revocation.
--
-- The secret half of each server key now lives in the key file (db/keyfile.h,
-- DB.key by default), so that no backup of the database holds it.  The
-- program that first loads the keys after this migration moves the secrets
-- there and overwrites them here (db/keys.c); `secret` stays, empty, for
-- the old rows' sake.  A key can be revoked (hromadactl key revoke):
-- unusable at once, its secret wiped from the key file.
ALTER TABLE server_keys ADD COLUMN revoked_at INTEGER;
