package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/jobs"
	"github.com/leakwatch/leakwatch/internal/server"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Queues serve can run scans on.
const (
	queueInline = "inline" // in the serving process, resumed after a restart
	queueRiver  = "river"  // River jobs in the same database: retries, timeouts, crash recovery
)

// riverQueue is the server's Queue on a jobs.Runner.
type riverQueue struct{ r *jobs.Runner }

func (q riverQueue) Enqueue(ctx context.Context, scanID int64) error { return q.r.Submit(ctx, scanID) }

func (q riverQueue) Cancel(ctx context.Context, scanID int64) error {
	return q.r.Cancel(ctx, scanID, "cancelled through the API")
}

// startRiver opens and starts the River runner of scans on the store's
// database; the returned function stops it.
func startRiver(ctx context.Context, e *env, o serveOptions, st store.Store, scan server.ScanFunc,
	deliver jobs.Deliverer) (server.Queue, func(), error) {
	dsn, err := o.dsn()
	if err != nil {
		return nil, nil, err
	}
	r, err := jobs.Open(ctx, dsn, st, riverScan(st, scan), jobs.Config{MaxSessions: o.maxSessions, Logger: e.log(),
		ScanTimeout: o.scanTimeout, RescueAfter: o.rescueAfter,
		HTTPClient: deliver.Client, Outbox: deliver.Outbox, MailFrom: deliver.From, Targets: jobs.StoredTargets(st)})
	if err != nil {
		return nil, nil, fmt.Errorf("scan queue: %w", err)
	}
	if err := r.Start(ctx); err != nil {
		return nil, nil, fmt.Errorf("scan queue: %w", err)
	}
	stop := func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.drain)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			e.log().Warn("stopping the scan queue", "err", err)
		}
	}
	return riverQueue{r}, stop, nil
}

// riverScan runs the server's scanner for a River job: the scan and the
// request it was submitted with are read back from the store; a scan its
// site's schedule queued scans the site's URL.
func riverScan(st store.Store, scan server.ScanFunc) jobs.ScanFunc {
	return func(ctx context.Context, spec jobs.ScanSpec) (jobs.Result, error) {
		sc, err := st.Scan(ctx, spec.ScanID)
		if err != nil {
			return jobs.Result{}, err
		}
		var req server.ScanRequest
		if len(spec.Options) > 0 {
			if err := json.Unmarshal(spec.Options, &req); err != nil {
				return jobs.Result{}, fmt.Errorf("%w: scan %d options: %v", jobs.ErrPermanent, spec.ScanID, err)
			}
		}
		if len(req.URLs) == 0 && spec.SiteURL != "" {
			// A scan the site's schedule queued: its options name the slot,
			// the site names what to scan.
			req.URLs, req.SiteID = []string{spec.SiteURL}, spec.SiteID
		}
		res, err := scan(ctx, sc, req)
		if err != nil {
			return jobs.Result{}, err
		}
		return jobs.Result{Report: res.Report, HAR: res.HAR}, nil
	}
}
