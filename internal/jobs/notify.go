package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/store"
)

// maxHistoryPages bounds the search for a site's previous finished scan.
const maxHistoryPages = 20

type notifyArgs struct {
	ScanID int64 `json:"scan_id"`
}

func (notifyArgs) Kind() string { return "leakwatch_notify" }

type notifyWorker struct {
	river.WorkerDefaults[notifyArgs]
	r *Runner
}

// enqueueNotify asks for the comparison of a done scan of a site, once.
func (r *Runner) enqueueNotify(ctx context.Context, sc store.Scan) error {
	if sc.SiteID == 0 {
		return nil
	}
	_, err := r.q.Insert(ctx, notifyArgs{ScanID: sc.ID}, &river.InsertOpts{
		Queue: QueueNotify, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true},
	})
	if err != nil {
		return fmt.Errorf("enqueue notification of scan %d: %w", sc.ID, err)
	}
	return nil
}

// Work compares the scan with its reference and enqueues one delivery per
// target when something is new.
func (w *notifyWorker) Work(ctx context.Context, job *river.Job[notifyArgs]) error {
	n, err := w.r.NoticeFor(ctx, job.Args.ScanID)
	if errors.Is(err, ErrPermanent) {
		return river.JobCancel(err)
	}
	if err != nil || n == nil || n.Empty() || w.r.cfg.Targets == nil {
		return err
	}
	targets, err := w.r.cfg.Targets(ctx, n.SiteID)
	if err != nil {
		return fmt.Errorf("targets of site %d: %w", n.SiteID, err)
	}
	for _, t := range targets {
		body, err := t.body(*n)
		if err != nil {
			return river.JobCancel(err)
		}
		a := deliverArgs{ScanID: n.ScanID, SiteID: n.SiteID, TargetID: t.ID, Format: t.Format, Body: body}
		if t.ID == 0 {
			a.URL = t.URL
		}
		_, err = w.r.q.Insert(ctx, a,
			&river.InsertOpts{Queue: QueueNotify, MaxAttempts: w.r.cfg.WebhookAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}})
		if err != nil {
			return fmt.Errorf("enqueue delivery of scan %d: %w", n.ScanID, err)
		}
	}
	return nil
}

// NoticeFor compares a done scan of a site with the site's baseline, or
// else with its previous done scan. It returns nil when there is nothing
// to compare with (a first scan, a scan of no site).
func (r *Runner) NoticeFor(ctx context.Context, scanID int64) (*Notice, error) {
	return NoticeFor(ctx, r.store, scanID)
}

// NoticeStore is what NoticeFor reads.
type NoticeStore interface {
	store.Sites
	store.Scans
}

// NoticeFor is Runner.NoticeFor over any store: the inline queue's
// notifications use it too.
func NoticeFor(ctx context.Context, st NoticeStore, scanID int64) (*Notice, error) {
	sc, err := st.Scan(ctx, scanID)
	if err != nil {
		return nil, fmt.Errorf("read scan %d: %w", scanID, err)
	}
	if sc.SiteID == 0 || sc.State != store.Done {
		return nil, nil
	}
	site, err := st.Site(ctx, sc.SiteID)
	if err != nil {
		return nil, fmt.Errorf("read site %d: %w", sc.SiteID, err)
	}
	refID, reference := site.Baseline, "baseline"
	if refID == 0 || refID == sc.ID {
		if refID, err = previousDone(ctx, st, sc); err != nil || refID == 0 {
			return nil, err
		}
		reference = "previous scan"
	}
	ref, err := storedReport(ctx, st, refID)
	if err != nil {
		return nil, err
	}
	cur, err := storedReport(ctx, st, sc.ID)
	if err != nil {
		return nil, err
	}
	n := Compare(ref, cur)
	n.SiteID, n.SiteURL, n.ScanID, n.Against, n.Reference, n.Finished = site.ID, site.URL, sc.ID, refID, reference, sc.Finished.UTC()
	return &n, nil
}

// previousDone returns the site's newest done scan older than sc, or 0.
func previousDone(ctx context.Context, st store.Scans, sc store.Scan) (int64, error) {
	p := store.Page{Limit: 100, After: sc.ID}
	for range maxHistoryPages {
		scans, err := st.History(ctx, sc.SiteID, p)
		if err != nil {
			return 0, fmt.Errorf("history of site %d: %w", sc.SiteID, err)
		}
		for _, s := range scans {
			if s.State == store.Done && s.ID < sc.ID {
				return s.ID, nil
			}
		}
		if len(scans) < p.Limit {
			break
		}
		p.After = scans[len(scans)-1].ID
	}
	return 0, nil
}

func storedReport(ctx context.Context, st store.Scans, scanID int64) (*audit.Report, error) {
	b, err := st.Report(ctx, scanID)
	if err != nil {
		return nil, fmt.Errorf("report of scan %d: %w", scanID, err)
	}
	var rep audit.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("%w: report of scan %d: %w", ErrPermanent, scanID, err)
	}
	return &rep, nil
}
