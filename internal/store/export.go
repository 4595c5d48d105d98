package store

import (
	"context"
	"fmt"
)

// Exports reads a whole run back, reports included, for export and
// statistics (issue 16).
type Exports interface {
	// EachCrawlResult calls fn with each of the run's results, in site
	// byte order, reports included (nil for a failed site that left
	// none). It reads them a few at a time, so memory holds one page of
	// reports however large the run; fn may use the store. An unknown run
	// is ErrNotFound; an error from fn stops the walk and is returned as
	// it is. Results stored while the walk runs are seen when their site
	// sorts after the page being read.
	EachCrawlResult(ctx context.Context, runID int64, fn func(CrawlResult) error) error
}

// exportPage is how many results (with their reports, each up to a few
// megabytes) one read of EachCrawlResult holds.
const exportPage = 16

func (s *sqlStore) EachCrawlResult(ctx context.Context, runID int64, fn func(CrawlResult) error) error {
	if _, err := s.Run(ctx, runID); err != nil {
		return err
	}
	after := ""
	for {
		page, err := s.resultPage(ctx, runID, after)
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < exportPage {
			return nil
		}
		after = page[len(page)-1].Site
	}
}

// resultPage reads the results of a run after the site named, with their
// reports, and closes the rows before fn sees any of them (SQLite has one
// connection; fn may need it).
func (s *sqlStore) resultPage(ctx context.Context, runID int64, after string) ([]CrawlResult, error) {
	op := fmt.Sprintf("export results of run %d", runID)
	rows, err := s.db.QueryContext(ctx, s.d.q("SELECT "+resultCols+`, coding, size, sha256, report
		FROM crawl_results WHERE run_id = ? AND site > ? ORDER BY site LIMIT ?`), runID, after, exportPage)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()
	out := make([]CrawlResult, 0, exportPage)
	for rows.Next() {
		b := blob{kind: kindReport}
		r, err := scanResult(rows, &b.coding, &b.size, &b.sum, &b.data)
		if err != nil {
			return nil, s.wrap(op, err)
		}
		if b.data != nil {
			if r.Report, err = s.blobs.decode(b); err != nil {
				return nil, s.wrap(fmt.Sprintf("%s: report of %s", op, r.Site), err)
			}
		}
		out = append(out, r)
	}
	return out, s.wrap(op, rows.Err())
}
