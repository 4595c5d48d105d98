package jobs

import (
	"context"
	"fmt"
	"sync"

	"github.com/riverqueue/river"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Queue names: scans get MaxSessions workers, the rest share a small pool.
const (
	QueueScan   = "scan"
	QueueNotify = "notify"
)

// notifyWorkers is the pool size of the notify queue (schedule ticks,
// slots, diffs and webhook deliveries: short and I/O bound).
const notifyWorkers = 4

// Runner works scans, schedules and notifications from River queues kept
// in the same database as the store.
type Runner struct {
	cfg   Config
	store store.Store
	scan  ScanFunc
	q     RiverQueue
	close func()

	mu      sync.Mutex
	running map[int64]context.CancelCauseFunc // scans running in this process
}

// Open connects River to the database dsn names (as store.Open reads it),
// runs River's migrations and returns a stopped Runner whose scans call
// scan and whose results go to st.
func Open(ctx context.Context, dsn string, st store.Store, scan ScanFunc, cfg Config) (*Runner, error) {
	if st == nil || scan == nil {
		return nil, fmt.Errorf("%w: a store and a ScanFunc are required", ErrConfig)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &Runner{cfg: cfg.withDefaults(), store: st, scan: scan, running: map[int64]context.CancelCauseFunc{}}
	q, closeQ, err := OpenRiver(ctx, dsn, 0, r.riverConfig())
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	r.q, r.close = q, closeQ
	return r, nil
}

func (r *Runner) riverConfig() *river.Config {
	w := river.NewWorkers()
	river.AddWorker(w, &scanWorker{r: r})
	river.AddWorker(w, &notifyWorker{r: r})
	river.AddWorker(w, &deliverWorker{r: r})
	river.AddWorker(w, &tickWorker{r: r})
	river.AddWorker(w, &slotWorker{r: r})
	return &river.Config{
		ID:                   r.cfg.ID,
		Logger:               r.cfg.Logger,
		JobTimeout:           r.cfg.ScanTimeout,
		RescueStuckJobsAfter: r.cfg.RescueAfter,
		FetchPollInterval:    r.cfg.PollInterval,
		FetchCooldown:        min(r.cfg.PollInterval, river.FetchCooldownDefault),
		Queues: map[string]river.QueueConfig{
			QueueScan:   {MaxWorkers: r.cfg.MaxSessions},
			QueueNotify: {MaxWorkers: notifyWorkers},
		},
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(r.cfg.ScheduleTick),
			func() (river.JobArgs, *river.InsertOpts) { return tickArgs{}, nil },
			&river.PeriodicJobOpts{ID: "leakwatch_schedule_tick", RunOnStart: true})},
		Workers: w,
	}
}

// Start resumes the store's unfinished scans (see Resume) and starts
// working jobs until ctx ends or Stop is called.
func (r *Runner) Start(ctx context.Context) error {
	if _, err := r.Resume(ctx); err != nil {
		return err
	}
	if err := r.q.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish (or ctx to end), then releases the
// database. StopAndCancel cancels running scans first; River retries them
// at the next start.
func (r *Runner) Stop(ctx context.Context) error { return r.stop(ctx, r.q.Stop) }

// StopAndCancel cancels running jobs, waits for them to return and
// releases the database.
func (r *Runner) StopAndCancel(ctx context.Context) error { return r.stop(ctx, r.q.StopAndCancel) }

func (r *Runner) stop(ctx context.Context, f func(context.Context) error) error {
	err := f(ctx)
	r.close()
	if err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}
