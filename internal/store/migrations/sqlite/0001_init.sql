-- Times are microseconds since the Unix epoch, UTC.
CREATE TABLE sites (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	url         TEXT    NOT NULL UNIQUE,
	name        TEXT    NOT NULL DEFAULT '',
	schedule    TEXT    NOT NULL DEFAULT '',
	baseline_id INTEGER,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);

CREATE TABLE scans (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	site_id     INTEGER REFERENCES sites(id) ON DELETE CASCADE,
	state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
	consent     TEXT    NOT NULL DEFAULT '',
	options     TEXT    NOT NULL DEFAULT '{}',
	attempt     INTEGER NOT NULL DEFAULT 0,
	error       TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	started_at  INTEGER,
	finished_at INTEGER
);
CREATE INDEX scans_site ON scans (site_id, id DESC);
CREATE INDEX scans_state ON scans (state, id DESC);
CREATE INDEX scans_site_done ON scans (site_id, finished_at DESC, id DESC) WHERE state = 'done';

-- One row per (scan, kind): the primary key makes storing a result twice store it once.
CREATE TABLE scan_blobs (
	scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
	kind    TEXT    NOT NULL CHECK (kind IN ('report', 'har')),
	coding  TEXT    NOT NULL,
	size    INTEGER NOT NULL,
	sha256  BLOB    NOT NULL,
	data    BLOB    NOT NULL,
	PRIMARY KEY (scan_id, kind)
);

CREATE TABLE crawl_runs (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT    NOT NULL DEFAULT '',
	state      TEXT    NOT NULL CHECK (state IN ('active', 'paused', 'cancelled', 'finished')),
	total      INTEGER NOT NULL DEFAULT 0,
	options    TEXT    NOT NULL DEFAULT '{}',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

-- Keyed by (run, site): a retried job never duplicates a result.
CREATE TABLE crawl_results (
	run_id      INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
	site        TEXT    NOT NULL,
	rank        INTEGER NOT NULL DEFAULT 0,
	state       TEXT    NOT NULL CHECK (state IN ('done', 'failed')),
	attempt     INTEGER NOT NULL DEFAULT 0,
	error       TEXT    NOT NULL DEFAULT '',
	worker      TEXT    NOT NULL DEFAULT '',
	har_ref     TEXT    NOT NULL DEFAULT '',
	coding      TEXT    NOT NULL DEFAULT '',
	size        INTEGER NOT NULL DEFAULT 0,
	sha256      BLOB,
	report      BLOB,
	finished_at INTEGER NOT NULL,
	PRIMARY KEY (run_id, site)
);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT    NOT NULL DEFAULT '',
	role       TEXT    NOT NULL CHECK (role IN ('read', 'scan', 'admin')),
	hash       BLOB    NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
);

CREATE TABLE personas (
	name       TEXT    PRIMARY KEY,
	key_id     BLOB    NOT NULL,
	nonce      BLOB    NOT NULL,
	sealed     BLOB    NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
