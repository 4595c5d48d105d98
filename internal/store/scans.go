package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

const scanCols = "id, site_id, state, consent, options, attempt, error, created_at, started_at, finished_at"

func scanScan(row interface{ Scan(...any) error }) (Scan, error) {
	var (
		sc                      Scan
		site, cre, start, finis sql.NullInt64
		opts                    string
	)
	if err := row.Scan(&sc.ID, &site, &sc.State, &sc.Consent, &opts, &sc.Attempt, &sc.Error, &cre, &start, &finis); err != nil {
		return Scan{}, err
	}
	sc.SiteID, sc.Options = site.Int64, json.RawMessage(opts)
	sc.Created, sc.Started, sc.Finished = fromMicros(cre), fromMicros(start), fromMicros(finis)
	return sc, nil
}

func (s *sqlStore) CreateScan(ctx context.Context, sc Scan) (Scan, error) {
	if len(sc.Options) > 0 && !json.Valid(sc.Options) {
		return Scan{}, fmt.Errorf("create scan: %w: options are not JSON", ErrInvalid)
	}
	row := s.db.QueryRowContext(ctx, s.d.q(`INSERT INTO scans (site_id, state, consent, options, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING `+scanCols), nullID(sc.SiteID), Queued, sc.Consent, jsonText(sc.Options), s.stamp())
	got, err := scanScan(row)
	return got, s.wrap("create scan", err)
}

func (s *sqlStore) Scan(ctx context.Context, id int64) (Scan, error) {
	got, err := scanScan(s.db.QueryRowContext(ctx, s.d.q("SELECT "+scanCols+" FROM scans WHERE id = ?"), id))
	return got, s.wrap(fmt.Sprintf("scan %d", id), err)
}

func (s *sqlStore) StartScan(ctx context.Context, id int64) (Scan, error) {
	row := s.db.QueryRowContext(ctx, s.d.q(`UPDATE scans SET state = 'running', attempt = attempt + 1, started_at = ?
		WHERE id = ? AND state IN ('queued', 'running') RETURNING `+scanCols), s.stamp(), id)
	got, err := scanScan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return s.refuse(ctx, id, "start", "")
	}
	return got, s.wrap(fmt.Sprintf("start scan %d", id), err)
}

// refuse explains why a scan could not change state: it does not exist
// (ErrNotFound), or it is already final. A final state equal to same is
// the scan as it is, without error.
func (s *sqlStore) refuse(ctx context.Context, id int64, verb string, same State) (Scan, error) {
	sc, err := s.Scan(ctx, id)
	if err != nil {
		return Scan{}, fmt.Errorf("%s scan %d: %w", verb, id, err)
	}
	if same != "" && sc.State == same {
		return sc, nil
	}
	return Scan{}, fmt.Errorf("%s scan %d: %w: it is %s", verb, id, ErrConflict, sc.State)
}

func (s *sqlStore) EndScan(ctx context.Context, id int64, state State, reason string) (Scan, error) {
	if state != Failed && state != Cancelled {
		return Scan{}, fmt.Errorf("end scan %d: %w: state %q, want failed or cancelled", id, ErrInvalid, state)
	}
	row := s.db.QueryRowContext(ctx, s.d.q(`UPDATE scans SET state = ?, error = ?, finished_at = ?
		WHERE id = ? AND state IN ('queued', 'running') RETURNING `+scanCols), state, reason, s.stamp(), id)
	got, err := scanScan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return s.refuse(ctx, id, "end", state)
	}
	return got, s.wrap(fmt.Sprintf("end scan %d", id), err)
}

func (s *sqlStore) FinishScan(ctx context.Context, id int64, r Result) (bool, error) {
	op := fmt.Sprintf("finish scan %d", id)
	if !json.Valid(r.Report) {
		return false, fmt.Errorf("%s: %w: the report is not JSON", op, ErrInvalid)
	}
	blobs, err := s.blobs.result(r)
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	stored := false
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		var st State
		if err := tx.QueryRowContext(ctx, s.d.q("SELECT state FROM scans WHERE id = ?"+s.d.forUpdate), id).Scan(&st); err != nil {
			return err
		}
		switch st {
		case Done:
			return nil
		case Failed, Cancelled:
			return fmt.Errorf("%w: the scan is %s", ErrConflict, st)
		}
		n, err := s.insertBlobs(ctx, tx, id, blobs)
		if err != nil || n == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, s.d.q("UPDATE scans SET state = 'done', error = '', finished_at = ? WHERE id = ?"), s.stamp(), id)
		stored = err == nil
		return err
	})
	return stored, err
}

func (s *sqlStore) History(ctx context.Context, siteID int64, p Page) ([]Scan, error) {
	op := fmt.Sprintf("history of site %d", siteID)
	before := p.After
	if before <= 0 {
		before = math.MaxInt64
	}
	out, err := s.scanList(ctx, s.d.q("SELECT "+scanCols+" FROM scans WHERE site_id = ? AND id < ? ORDER BY id DESC LIMIT ?"),
		siteID, before, p.limit())
	if err == nil && len(out) == 0 {
		_, err = s.Site(ctx, siteID)
	}
	return out, s.wrap(op, err)
}

func (s *sqlStore) ListScans(ctx context.Context, state State, p Page) ([]Scan, error) {
	op := "list scans"
	before := p.After
	if before <= 0 {
		before = math.MaxInt64
	}
	if state == "" {
		out, err := s.scanList(ctx, s.d.q("SELECT "+scanCols+" FROM scans WHERE id < ? ORDER BY id DESC LIMIT ?"), before, p.limit())
		return out, s.wrap(op, err)
	}
	if !validState(state) {
		return nil, fmt.Errorf("%s: %w: state %q", op, ErrInvalid, state)
	}
	out, err := s.scanList(ctx, s.d.q("SELECT "+scanCols+" FROM scans WHERE state = ? AND id < ? ORDER BY id DESC LIMIT ?"),
		state, before, p.limit())
	return out, s.wrap(op+" "+string(state), err)
}

func validState(st State) bool { return st == Queued || st == Running || st.Final() }

func (s *sqlStore) LastFinished(ctx context.Context, siteID int64) (Scan, error) {
	row := s.db.QueryRowContext(ctx, s.d.q("SELECT "+scanCols+` FROM scans WHERE site_id = ? AND state = 'done'
		ORDER BY finished_at DESC, id DESC LIMIT 1`), siteID)
	got, err := scanScan(row)
	return got, s.wrap(fmt.Sprintf("last finished scan of site %d", siteID), err)
}

func (s *sqlStore) scanList(ctx context.Context, query string, args ...any) ([]Scan, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Scan
	for rows.Next() {
		sc, err := scanScan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}
