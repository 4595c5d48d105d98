package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

const siteCols = "id, url, name, schedule, baseline_id, created_at, updated_at"

func scanSite(row interface{ Scan(...any) error }) (Site, error) {
	var (
		s                  Site
		baseline, cre, upd sql.NullInt64
	)
	if err := row.Scan(&s.ID, &s.URL, &s.Name, &s.Schedule, &baseline, &cre, &upd); err != nil {
		return Site{}, err
	}
	s.Baseline, s.Created, s.Updated = baseline.Int64, fromMicros(cre), fromMicros(upd)
	return s, nil
}

func (s *sqlStore) CreateSite(ctx context.Context, site Site) (Site, error) {
	if strings.TrimSpace(site.URL) == "" {
		return Site{}, fmt.Errorf("create site: %w: empty URL", ErrInvalid)
	}
	if site.Baseline != 0 {
		return Site{}, fmt.Errorf("create site: %w: a new site has no scans to be its baseline", ErrInvalid)
	}
	now := s.stamp()
	row := s.db.QueryRowContext(ctx, s.d.q(`INSERT INTO sites (url, name, schedule, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) RETURNING `+siteCols), site.URL, site.Name, site.Schedule, now, now)
	got, err := scanSite(row)
	return got, s.wrap("create site "+site.URL, err)
}

func (s *sqlStore) Site(ctx context.Context, id int64) (Site, error) {
	got, err := scanSite(s.db.QueryRowContext(ctx, s.d.q("SELECT "+siteCols+" FROM sites WHERE id = ?"), id))
	return got, s.wrap(fmt.Sprintf("site %d", id), err)
}

func (s *sqlStore) SiteByURL(ctx context.Context, url string) (Site, error) {
	got, err := scanSite(s.db.QueryRowContext(ctx, s.d.q("SELECT "+siteCols+" FROM sites WHERE url = ?"), url))
	return got, s.wrap("site "+url, err)
}

func (s *sqlStore) ListSites(ctx context.Context, p Page) ([]Site, error) {
	rows, err := s.db.QueryContext(ctx, s.d.q("SELECT "+siteCols+" FROM sites WHERE id > ? ORDER BY id LIMIT ?"), p.After, p.limit())
	if err != nil {
		return nil, s.wrap("list sites", err)
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		site, err := scanSite(rows)
		if err != nil {
			return nil, s.wrap("list sites", err)
		}
		out = append(out, site)
	}
	return out, s.wrap("list sites", rows.Err())
}

func (s *sqlStore) UpdateSite(ctx context.Context, site Site) (Site, error) {
	op := fmt.Sprintf("update site %d", site.ID)
	var got Site
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		if site.Baseline != 0 {
			if err := s.checkBaseline(ctx, tx, site); err != nil {
				return err
			}
		}
		row := tx.QueryRowContext(ctx, s.d.q(`UPDATE sites SET name = ?, schedule = ?, baseline_id = ?, updated_at = ?
			WHERE id = ? RETURNING `+siteCols), site.Name, site.Schedule, nullID(site.Baseline), s.stamp(), site.ID)
		var err error
		got, err = scanSite(row)
		return err
	})
	return got, err
}

// checkBaseline requires the baseline to be a done scan of the same site.
func (s *sqlStore) checkBaseline(ctx context.Context, q querier, site Site) error {
	var (
		siteID sql.NullInt64
		state  State
	)
	err := q.QueryRowContext(ctx, s.d.q("SELECT site_id, state FROM scans WHERE id = ?"), site.Baseline).Scan(&siteID, &state)
	if err != nil {
		return fmt.Errorf("baseline scan %d: %w", site.Baseline, err)
	}
	if siteID.Int64 != site.ID || state != Done {
		return fmt.Errorf("%w: baseline scan %d is %s and of site %d, want a done scan of site %d",
			ErrConflict, site.Baseline, state, siteID.Int64, site.ID)
	}
	return nil
}

func (s *sqlStore) DeleteSite(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, s.d.q("DELETE FROM sites WHERE id = ?"), id)
	return s.wrap(fmt.Sprintf("delete site %d", id), affected(res, err))
}

// affected turns "no row changed" into ErrNotFound.
func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
