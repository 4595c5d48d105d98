package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// Fleet is what crawl workers on many machines share through the database
// besides results: politeness per registrable domain, which sites are
// being crawled, and a run's progress.
type Fleet interface {
	// ClaimDomain reserves the next visit to a registrable domain, atomically
	// across processes: when the domain is free it is held for gap and the
	// wait is 0; else the wait is how long until it is free again.
	ClaimDomain(ctx context.Context, domain string, gap time.Duration) (wait time.Duration, err error)
	// MarkCrawling records that worker started crawling site in a run,
	// replacing an earlier mark (a retried site).
	MarkCrawling(ctx context.Context, runID int64, site, worker string) error
	// UnmarkCrawling forgets the mark of site in a run.
	UnmarkCrawling(ctx context.Context, runID int64, site string) error
	// NoteResult counts a site's first result in a run and returns the
	// run's count: a cheap sign of completion that FinishRunIfComplete
	// then checks exactly.
	NoteResult(ctx context.Context, runID int64) (int, error)
	// FinishRunIfComplete marks an active run finished when every site has
	// a result, and reports whether it did.
	FinishRunIfComplete(ctx context.Context, runID int64) (bool, error)
	// TakeFailed deletes a run's failed results and returns them (without
	// reports) so their sites can be enqueued again; a finished run with
	// any becomes active again.
	TakeFailed(ctx context.Context, runID int64) ([]CrawlResult, error)
	// FleetStats counts a run's results in all, since recent, and per
	// worker; sites marked crawling before stale, or with a result, are
	// not counted as running.
	FleetStats(ctx context.Context, runID int64, recent, stale time.Time) (FleetStats, error)
}

// FleetStats is a run's progress as the workers left it in the database.
type FleetStats struct {
	RunStats
	Running int // sites being crawled
	Recent  int // results stored since the time asked
	Workers []WorkerStats
}

// WorkerStats is one worker's share of a run.
type WorkerStats struct {
	Name                  string
	Done, Failed, Running int
	Last                  time.Time // its last result
}

func (s *sqlStore) ClaimDomain(ctx context.Context, domain string, gap time.Duration) (time.Duration, error) {
	op := fmt.Sprintf("claim domain %s", domain)
	if domain == "" || gap < 0 {
		return 0, fmt.Errorf("%s: %w: a domain and a gap of at least 0 are needed", op, ErrInvalid)
	}
	if gap == 0 {
		return 0, nil
	}
	now := s.now()
	res, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO crawl_domains (domain, next_at) VALUES (?, ?)
		ON CONFLICT (domain) DO UPDATE SET next_at = excluded.next_at WHERE crawl_domains.next_at <= ?`),
		domain, micros(now.Add(gap)), micros(now))
	if err != nil {
		return 0, s.wrap(op, err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return 0, s.wrap(op, err)
	}
	var next int64
	if err := s.db.QueryRowContext(ctx, s.d.q("SELECT next_at FROM crawl_domains WHERE domain = ?"), domain).Scan(&next); err != nil {
		return 0, s.wrap(op, err)
	}
	// At least a millisecond: a zero wait means the claim was granted.
	return max(time.UnixMicro(next).Sub(now), time.Millisecond), nil
}

func (s *sqlStore) MarkCrawling(ctx context.Context, runID int64, site, worker string) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO crawl_active (run_id, site, worker, started_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (run_id, site) DO UPDATE SET worker = excluded.worker, started_at = excluded.started_at`),
		runID, site, worker, s.stamp())
	return s.wrap(fmt.Sprintf("mark %s crawling in run %d", site, runID), err)
}

func (s *sqlStore) UnmarkCrawling(ctx context.Context, runID int64, site string) error {
	_, err := s.db.ExecContext(ctx, s.d.q("DELETE FROM crawl_active WHERE run_id = ? AND site = ?"), runID, site)
	return s.wrap(fmt.Sprintf("unmark %s in run %d", site, runID), err)
}

func (s *sqlStore) NoteResult(ctx context.Context, runID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.d.q(`INSERT INTO crawl_progress (run_id, results) VALUES (?, 1)
		ON CONFLICT (run_id) DO UPDATE SET results = crawl_progress.results + 1 RETURNING results`), runID).Scan(&n)
	return n, s.wrap(fmt.Sprintf("count a result of run %d", runID), err)
}

func (s *sqlStore) FinishRunIfComplete(ctx context.Context, runID int64) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.d.q(`UPDATE crawl_runs SET state = 'finished', updated_at = ?
		WHERE id = ? AND state = 'active' AND total <= (SELECT COUNT(*) FROM crawl_results WHERE run_id = ?)`),
		s.stamp(), runID, runID)
	op := fmt.Sprintf("finish run %d", runID)
	if err != nil {
		return false, s.wrap(op, err)
	}
	n, err := res.RowsAffected()
	return n > 0, s.wrap(op, err)
}

func (s *sqlStore) TakeFailed(ctx context.Context, runID int64) ([]CrawlResult, error) {
	var out []CrawlResult
	err := s.tx(ctx, fmt.Sprintf("take failed results of run %d", runID), func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.d.q(`DELETE FROM crawl_results WHERE run_id = ? AND state = 'failed'
			RETURNING `+resultCols), runID)
		if err != nil {
			return err
		}
		for rows.Next() {
			r, err := scanResult(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, r)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil || len(out) == 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.d.q("UPDATE crawl_progress SET results = results - ? WHERE run_id = ?"),
			len(out), runID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.d.q("UPDATE crawl_runs SET state = 'active', updated_at = ? WHERE id = ? AND state = 'finished'"),
			s.stamp(), runID)
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Site < out[j].Site })
	return out, err
}

func (s *sqlStore) FleetStats(ctx context.Context, runID int64, recent, stale time.Time) (FleetStats, error) {
	op := fmt.Sprintf("fleet stats of run %d", runID)
	st := FleetStats{}
	var err error
	if st.RunStats, err = s.RunStats(ctx, runID); err != nil {
		return st, err
	}
	if err := s.db.QueryRowContext(ctx, s.d.q("SELECT COUNT(*) FROM crawl_results WHERE run_id = ? AND finished_at >= ?"),
		runID, micros(recent)).Scan(&st.Recent); err != nil {
		return st, s.wrap(op, err)
	}
	byName := map[string]*WorkerStats{}
	get := func(name string) *WorkerStats {
		if byName[name] == nil {
			byName[name] = &WorkerStats{Name: name}
		}
		return byName[name]
	}
	if err := s.workerResults(ctx, runID, get); err != nil {
		return st, s.wrap(op, err)
	}
	rows, err := s.db.QueryContext(ctx, s.d.q(`SELECT a.worker, COUNT(*) FROM crawl_active a
		WHERE a.run_id = ? AND a.started_at >= ?
		AND NOT EXISTS (SELECT 1 FROM crawl_results c WHERE c.run_id = a.run_id AND c.site = a.site AND c.state = 'done')
		GROUP BY a.worker`), runID, micros(stale))
	if err != nil {
		return st, s.wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			name string
			n    int
		)
		if err := rows.Scan(&name, &n); err != nil {
			return st, s.wrap(op, err)
		}
		get(name).Running += n
		st.Running += n
	}
	if err := rows.Err(); err != nil {
		return st, s.wrap(op, err)
	}
	for _, w := range byName {
		st.Workers = append(st.Workers, *w)
	}
	sort.Slice(st.Workers, func(i, j int) bool { return st.Workers[i].Name < st.Workers[j].Name })
	return st, nil
}

func (s *sqlStore) workerResults(ctx context.Context, runID int64, get func(string) *WorkerStats) error {
	rows, err := s.db.QueryContext(ctx, s.d.q(`SELECT worker, state, COUNT(*), MAX(finished_at) FROM crawl_results
		WHERE run_id = ? GROUP BY worker, state`), runID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			name  string
			state State
			n     int
			last  sql.NullInt64
		)
		if err := rows.Scan(&name, &state, &n, &last); err != nil {
			return err
		}
		w := get(name)
		if state == Done {
			w.Done += n
		} else {
			w.Failed += n
		}
		if t := fromMicros(last); t.After(w.Last) {
			w.Last = t
		}
	}
	return rows.Err()
}
