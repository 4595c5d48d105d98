-- Crawl fleets (issue 16): what workers on many machines share besides results.

-- Per-registrable-domain politeness: the earliest time (Unix microseconds)
-- any worker may start another visit to the domain.
CREATE TABLE crawl_domains (
	domain  TEXT    PRIMARY KEY,
	next_at INTEGER NOT NULL
);

-- Sites being crawled right now, by which worker, for status; a row is
-- removed when the site's result is stored (a dead worker's row goes
-- stale and is ignored after the site budget).
CREATE TABLE crawl_active (
	run_id     INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
	site       TEXT    NOT NULL,
	worker     TEXT    NOT NULL,
	started_at INTEGER NOT NULL,
	PRIMARY KEY (run_id, site)
);

CREATE INDEX crawl_results_finished ON crawl_results (run_id, finished_at);

-- Results counted as workers store them, so a worker can tell cheaply
-- when a run may be complete (the exact count is taken only then).
CREATE TABLE crawl_progress (
	run_id  INTEGER NOT NULL PRIMARY KEY REFERENCES crawl_runs(id) ON DELETE CASCADE,
	results INTEGER NOT NULL DEFAULT 0
);
