package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/leakwatch/leakwatch/internal/store"
)

// ScanFunc runs the pipeline for one scan. It must stop (and stop its
// Chromium) when ctx ends. An error wrapping ErrPermanent is not retried.
type ScanFunc func(ctx context.Context, spec ScanSpec) (Result, error)

// ErrPermanent marks a scan error that another attempt cannot mend (a
// malformed option, a refused target).
var ErrPermanent = errors.New("permanent scan error")

// errCancelled is the cause of a scan's context when its scan was
// cancelled through the store.
// storeTimeout bounds a store write made after a scan's own context ended.
const storeTimeout = 30 * time.Second

var errCancelled = errors.New("scan cancelled")

// ScanSpec is what a scan job knows of the scan it runs.
type ScanSpec struct {
	ScanID  int64
	SiteID  int64  // 0: a scan of no stored site
	SiteURL string // the site's URL when SiteID is set
	Consent string
	// Options are the scan options as the API received them.
	Options json.RawMessage
	// Attempt counts from 1; a retried scan starts again from nothing.
	Attempt int
}

// Result is what a scan produces. The store keeps Report and HAR; Bundle
// and Summary are for the caller's own use until the store keeps them.
type Result struct {
	Report  []byte // audit.Report JSON
	HAR     []byte // nil when the HAR is not kept
	Bundle  []byte // sealed evidence bundle, nil when none
	Summary string // one line for lists and logs
}

type scanArgs struct {
	ScanID int64 `json:"scan_id"`
}

func (scanArgs) Kind() string { return "leakwatch_scan" }

type scanWorker struct {
	river.WorkerDefaults[scanArgs]
	r *Runner
}

// Timeout is the per-attempt bound of a scan.
func (w *scanWorker) Timeout(*river.Job[scanArgs]) time.Duration { return w.r.cfg.ScanTimeout }

// Submit enqueues a queued scan of the store. Submitting it again while
// its job exists enqueues nothing.
func (r *Runner) Submit(ctx context.Context, scanID int64) error {
	// One River attempt more than the scan's: a process killed during the
	// last attempt leaves a job River rescues into that spare attempt,
	// which records the failure instead of River discarding it unseen.
	_, err := r.q.Insert(ctx, scanArgs{ScanID: scanID}, &river.InsertOpts{
		Queue: QueueScan, MaxAttempts: r.cfg.ScanAttempts + 1,
		UniqueOpts: river.UniqueOpts{ByArgs: true},
	})
	if err != nil {
		return fmt.Errorf("jobs: enqueue scan %d: %w", scanID, err)
	}
	return nil
}

// Cancel marks a queued or running scan cancelled. A scan running in this
// process stops at once, one running elsewhere within PollInterval.
func (r *Runner) Cancel(ctx context.Context, scanID int64, reason string) error {
	if _, err := r.store.EndScan(ctx, scanID, store.Cancelled, reason); err != nil {
		return fmt.Errorf("jobs: cancel scan %d: %w", scanID, err)
	}
	r.mu.Lock()
	cancel := r.running[scanID]
	r.mu.Unlock()
	if cancel != nil {
		cancel(errCancelled)
	}
	return nil
}

// Work runs one attempt of a scan and records its outcome in the store.
func (w *scanWorker) Work(ctx context.Context, job *river.Job[scanArgs]) error {
	r, id := w.r, job.Args.ScanID
	sc, err := r.store.Scan(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("scan %d: %w", id, err))
	}
	if err != nil {
		return fmt.Errorf("read scan %d: %w", id, err)
	}
	if sc.State.Final() { // finished by an earlier attempt, or cancelled
		if sc.State == store.Done {
			return r.enqueueNotify(ctx, sc)
		}
		return nil
	}
	if job.Attempt >= job.MaxAttempts { // see Submit
		return r.abandoned(ctx, job)
	}
	if sc, err = r.store.StartScan(ctx, id); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil
		}
		return fmt.Errorf("start scan %d: %w", id, err)
	}
	spec, err := r.spec(ctx, sc, job.Attempt)
	if err != nil {
		return err
	}
	res, err := r.runScan(ctx, spec)
	if err != nil {
		return r.scanFailed(ctx, job, err)
	}
	stored, err := r.store.FinishScan(ctx, id, store.Result{Report: res.Report, HAR: res.HAR})
	switch {
	case errors.Is(err, store.ErrConflict): // cancelled while it ran
		return river.JobCancel(fmt.Errorf("scan %d ended before its result: %w", id, err))
	case err != nil:
		return fmt.Errorf("store result of scan %d: %w", id, err)
	}
	r.cfg.Logger.InfoContext(ctx, "scan done", "scan", id, "attempt", job.Attempt, "stored", stored, "summary", res.Summary)
	return r.enqueueNotify(ctx, sc)
}

func (r *Runner) spec(ctx context.Context, sc store.Scan, attempt int) (ScanSpec, error) {
	spec := ScanSpec{ScanID: sc.ID, SiteID: sc.SiteID, Consent: sc.Consent, Options: sc.Options, Attempt: attempt}
	if sc.SiteID != 0 {
		site, err := r.store.Site(ctx, sc.SiteID)
		if err != nil {
			return spec, fmt.Errorf("read site %d of scan %d: %w", sc.SiteID, sc.ID, err)
		}
		spec.SiteURL = site.URL
	}
	return spec, nil
}

// runScan calls the ScanFunc with a context that ends when the scan is
// cancelled here or, seen by polling the store, elsewhere.
func (r *Runner) runScan(ctx context.Context, spec ScanSpec) (Result, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.mu.Lock()
	r.running[spec.ScanID] = cancel
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.running, spec.ScanID)
		r.mu.Unlock()
	}()
	go r.watchCancel(ctx, cancel, spec.ScanID)
	res, err := r.scan(ctx, spec)
	if cause := context.Cause(ctx); errors.Is(cause, errCancelled) {
		return Result{}, cause
	}
	if err == nil && len(res.Report) == 0 {
		err = fmt.Errorf("%w: the scan returned no report", ErrPermanent)
	}
	return res, err
}

func (r *Runner) watchCancel(ctx context.Context, cancel context.CancelCauseFunc, id int64) {
	t := time.NewTicker(r.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if sc, err := r.store.Scan(ctx, id); err == nil && sc.State == store.Cancelled {
			cancel(errCancelled)
			return
		}
	}
}

// scanFailed decides between a retry (River's backoff) and a final
// failure recorded in the store.
func (r *Runner) scanFailed(ctx context.Context, job *river.Job[scanArgs], err error) error {
	id := job.Args.ScanID
	if errors.Is(err, errCancelled) {
		return river.JobCancel(fmt.Errorf("scan %d: %w", id, err))
	}
	limit := job.MaxAttempts - 1 // see Submit
	if job.Attempt < limit && !errors.Is(err, ErrPermanent) {
		return fmt.Errorf("scan %d attempt %d: %w", id, job.Attempt, err)
	}
	reason := fmt.Sprintf("attempt %d of %d: %v", job.Attempt, limit, err)
	// The attempt's context may have timed out; the record must still go.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if _, eerr := r.store.EndScan(ctx, id, store.Failed, reason); eerr != nil && !errors.Is(eerr, store.ErrConflict) {
		return fmt.Errorf("mark scan %d failed: %w (after %w)", id, eerr, err)
	}
	return river.JobCancel(fmt.Errorf("scan %d failed: %w", id, err))
}

// abandoned records the failure of a scan whose last attempt's process
// died: River rescued its job into the spare attempt Submit allows.
func (r *Runner) abandoned(ctx context.Context, job *river.Job[scanArgs]) error {
	id, limit := job.Args.ScanID, job.MaxAttempts-1
	reason := fmt.Sprintf("attempt %d of %d did not finish: its process stopped", limit, limit)
	if _, err := r.store.EndScan(ctx, id, store.Failed, reason); err != nil && !errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("mark scan %d failed: %w", id, err)
	}
	return river.JobCancel(fmt.Errorf("scan %d: %s", id, reason))
}

// Resume submits every queued or running scan of the store: a scan whose
// server stopped between storing it and submitting it, or whose job was
// lost, runs after all. A scan that has its job already is not submitted
// twice. Start calls it.
func (r *Runner) Resume(ctx context.Context) (int, error) {
	n := 0
	for _, state := range []store.State{store.Queued, store.Running} {
		for p := (store.Page{Limit: store.MaxLimit}); ; {
			scans, err := r.store.ListScans(ctx, state, p)
			if err != nil {
				return n, fmt.Errorf("jobs: list %s scans: %w", state, err)
			}
			for _, sc := range scans {
				if err := r.Submit(ctx, sc.ID); err != nil {
					return n, err
				}
				n++
			}
			if len(scans) < p.Limit {
				break
			}
			p.After = scans[len(scans)-1].ID
		}
	}
	return n, nil
}
