package crawlstats

import (
	"context"
	"fmt"
	"io"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Results is what export and statistics read: a walk over one run's
// stored results, reports included (store.Exports).
type Results interface {
	EachCrawlResult(ctx context.Context, runID int64, fn func(store.CrawlResult) error) error
}

// Counts say what an export wrote.
type Counts struct {
	Sites, Flows, ReportErrors int
}

// Export writes the run's rows to w in format, streaming: each site's row,
// then its flows, sites in byte order. Only one report is decoded at a time.
func Export(ctx context.Context, src Results, runID int64, format string, w io.Writer) (Counts, error) {
	var n Counts
	rw, err := NewWriter(w, format)
	if err != nil {
		return n, err
	}
	err = src.EachCrawlResult(ctx, runID, func(r store.CrawlResult) error {
		s := ReadResult(r)
		if err := rw.Write(s.Row); err != nil {
			return err
		}
		n.Sites++
		if s.Row.ReportError != "" {
			n.ReportErrors++
		}
		for _, f := range s.Flows {
			if err := rw.Write(f); err != nil {
				return err
			}
			n.Flows++
		}
		return ctx.Err()
	})
	if err != nil {
		return n, fmt.Errorf("export run %d: %w", runID, err)
	}
	if err := rw.Close(); err != nil {
		return n, fmt.Errorf("export run %d: %w", runID, err)
	}
	return n, nil
}

// Collect reads the whole run into statistics, one report at a time.
func Collect(ctx context.Context, src Results, run store.Run) (*Stats, error) {
	acc := newAccumulator(run)
	err := src.EachCrawlResult(ctx, run.ID, func(r store.CrawlResult) error {
		acc.add(ReadResult(r))
		return ctx.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("statistics of run %d: %w", run.ID, err)
	}
	return acc.result(), nil
}
