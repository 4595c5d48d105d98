package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

const runCols = "id, name, state, total, options, created_at, updated_at"

func scanRun(row interface{ Scan(...any) error }) (Run, error) {
	var (
		r        Run
		opts     string
		cre, upd sql.NullInt64
	)
	if err := row.Scan(&r.ID, &r.Name, &r.State, &r.Total, &opts, &cre, &upd); err != nil {
		return Run{}, err
	}
	r.Options, r.Created, r.Updated = json.RawMessage(opts), fromMicros(cre), fromMicros(upd)
	return r, nil
}

func validRunState(st RunState) bool {
	return st == RunActive || st == RunPaused || st == RunCancelled || st == RunFinished
}

func (s *sqlStore) CreateRun(ctx context.Context, r Run) (Run, error) {
	if r.State == "" {
		r.State = RunActive
	}
	if !validRunState(r.State) || r.Total < 0 || (len(r.Options) > 0 && !json.Valid(r.Options)) {
		return Run{}, fmt.Errorf("create run: %w: state %q, total %d, options must be JSON", ErrInvalid, r.State, r.Total)
	}
	now := s.stamp()
	row := s.db.QueryRowContext(ctx, s.d.q(`INSERT INTO crawl_runs (name, state, total, options, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING `+runCols), r.Name, r.State, r.Total, jsonText(r.Options), now, now)
	got, err := scanRun(row)
	return got, s.wrap("create run", err)
}

func (s *sqlStore) Run(ctx context.Context, id int64) (Run, error) {
	got, err := scanRun(s.db.QueryRowContext(ctx, s.d.q("SELECT "+runCols+" FROM crawl_runs WHERE id = ?"), id))
	return got, s.wrap(fmt.Sprintf("run %d", id), err)
}

func (s *sqlStore) ListRuns(ctx context.Context, p Page) ([]Run, error) {
	before := p.After
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.db.QueryContext(ctx, s.d.q("SELECT "+runCols+" FROM crawl_runs WHERE id < ? ORDER BY id DESC LIMIT ?"), before, p.limit())
	if err != nil {
		return nil, s.wrap("list runs", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, s.wrap("list runs", err)
		}
		out = append(out, r)
	}
	return out, s.wrap("list runs", rows.Err())
}

func (s *sqlStore) SetRunState(ctx context.Context, id int64, st RunState) (Run, error) {
	op := fmt.Sprintf("set run %d %s", id, st)
	if !validRunState(st) {
		return Run{}, fmt.Errorf("%s: %w: unknown run state", op, ErrInvalid)
	}
	row := s.db.QueryRowContext(ctx, s.d.q("UPDATE crawl_runs SET state = ?, updated_at = ? WHERE id = ? RETURNING "+runCols), st, s.stamp(), id)
	got, err := scanRun(row)
	return got, s.wrap(op, err)
}

func (s *sqlStore) PutCrawlResult(ctx context.Context, r CrawlResult) (bool, error) {
	op := fmt.Sprintf("store result of %s in run %d", r.Site, r.RunID)
	if r.Site == "" || (r.State != Done && r.State != Failed) {
		return false, fmt.Errorf("%s: %w: a result needs a site and state done or failed", op, ErrInvalid)
	}
	b := blob{}
	if r.State == Done || len(r.Report) > 0 {
		if !json.Valid(r.Report) {
			return false, fmt.Errorf("%s: %w: the report is not JSON", op, ErrInvalid)
		}
		var err error
		if b, err = s.blobs.encode(kindReport, r.Report); err != nil {
			return false, fmt.Errorf("%s: %w", op, err)
		}
	}
	finished := r.Finished
	if finished.IsZero() {
		finished = s.now()
	}
	// A done result is final; a failed one gives way to a later attempt.
	res, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO crawl_results
		(run_id, site, rank, state, attempt, error, worker, har_ref, coding, size, sha256, report, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (run_id, site) DO UPDATE SET rank = excluded.rank, state = excluded.state,
			attempt = excluded.attempt, error = excluded.error, worker = excluded.worker, har_ref = excluded.har_ref,
			coding = excluded.coding, size = excluded.size, sha256 = excluded.sha256, report = excluded.report,
			finished_at = excluded.finished_at
		WHERE crawl_results.state <> 'done'`),
		r.RunID, r.Site, r.Rank, r.State, r.Attempt, r.Error, r.Worker, r.HARRef,
		b.coding, b.size, b.sum, b.data, micros(finished))
	if err != nil {
		return false, s.wrap(op, err)
	}
	n, err := res.RowsAffected()
	return n > 0, s.wrap(op, err)
}

const resultCols = "run_id, site, rank, state, attempt, error, worker, har_ref, finished_at"

func scanResult(row interface{ Scan(...any) error }, extra ...any) (CrawlResult, error) {
	var (
		r   CrawlResult
		fin sql.NullInt64
	)
	dst := append([]any{&r.RunID, &r.Site, &r.Rank, &r.State, &r.Attempt, &r.Error, &r.Worker, &r.HARRef, &fin}, extra...)
	if err := row.Scan(dst...); err != nil {
		return CrawlResult{}, err
	}
	r.Finished = fromMicros(fin)
	return r, nil
}

func (s *sqlStore) CrawlResult(ctx context.Context, runID int64, site string) (CrawlResult, error) {
	op := fmt.Sprintf("result of %s in run %d", site, runID)
	b := blob{kind: kindReport}
	row := s.db.QueryRowContext(ctx, s.d.q("SELECT "+resultCols+`, coding, size, sha256, report
		FROM crawl_results WHERE run_id = ? AND site = ?`), runID, site)
	r, err := scanResult(row, &b.coding, &b.size, &b.sum, &b.data)
	if err != nil {
		return CrawlResult{}, s.wrap(op, err)
	}
	if b.data != nil {
		if r.Report, err = s.blobs.decode(b); err != nil {
			return CrawlResult{}, s.wrap(op, err)
		}
	}
	return r, nil
}

func (s *sqlStore) CrawlResults(ctx context.Context, runID int64, p Page) ([]CrawlResult, error) {
	op := fmt.Sprintf("results of run %d", runID)
	rows, err := s.db.QueryContext(ctx, s.d.q("SELECT "+resultCols+` FROM crawl_results
		WHERE run_id = ? AND site > ? ORDER BY site LIMIT ?`), runID, p.AfterKey, p.limit())
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()
	var out []CrawlResult
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, s.wrap(op, err)
		}
		out = append(out, r)
	}
	return out, s.wrap(op, rows.Err())
}

func (s *sqlStore) RunStats(ctx context.Context, runID int64) (RunStats, error) {
	var (
		st          RunStats
		first, last sql.NullInt64
	)
	err := s.db.QueryRowContext(ctx, s.d.q(`SELECT r.total,
			COALESCE(SUM(CASE WHEN c.state = 'done' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN c.state = 'failed' THEN 1 ELSE 0 END), 0),
			MIN(c.finished_at), MAX(c.finished_at)
		FROM crawl_runs r LEFT JOIN crawl_results c ON c.run_id = r.id
		WHERE r.id = ? GROUP BY r.id, r.total`), runID).Scan(&st.Total, &st.Done, &st.Failed, &first, &last)
	st.First, st.Last = fromMicros(first), fromMicros(last)
	return st, s.wrap(fmt.Sprintf("stats of run %d", runID), err)
}
