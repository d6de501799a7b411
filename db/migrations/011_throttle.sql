-- 011_throttle.sql — login throttle rows that expire (db/throttle.c).
--
-- Keys are now per (user, source) 'p:USER WHERE', per user 'u:USER' and
-- per source 'a:SOURCE', a source being an IPv4 address or an IPv6 /64.
-- Each row says when it stops counting (the later of its window's end and
-- its lock's end); rows past that are deleted through this index, so
-- failed logins under made-up names do not grow the table for ever.
-- Existing rows keep counting for the 15-minute window they had.
ALTER TABLE login_throttle ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
UPDATE login_throttle SET expires_at = max(window_start + 900, locked_until);
CREATE INDEX login_throttle_expiry ON login_throttle(expires_at);
