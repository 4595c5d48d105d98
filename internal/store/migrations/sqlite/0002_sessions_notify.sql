-- UI logins survive a restart: only the SHA-256 of a session id is kept.
CREATE TABLE sessions (
	hash       BLOB    PRIMARY KEY,
	token_id   INTEGER NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
	csrf       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Where a site's notifications go. The URL, HMAC secret and addresses are
-- sealed (AES-256-GCM, like personas); label is what may be shown.
CREATE TABLE notify_targets (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	site_id    INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
	kind       TEXT    NOT NULL CHECK (kind IN ('webhook', 'slack', 'email')),
	label      TEXT    NOT NULL DEFAULT '',
	signed     INTEGER NOT NULL DEFAULT 0,
	key_id     BLOB    NOT NULL,
	nonce      BLOB    NOT NULL,
	sealed     BLOB    NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX notify_targets_site ON notify_targets (site_id, id);

-- Scans whose notifications the inline queue has yet to send: marked when
-- the result is stored, cleared when every target was tried, so a restart
-- sends what a crash interrupted.
CREATE TABLE notify_pending (
	scan_id    INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL
);
