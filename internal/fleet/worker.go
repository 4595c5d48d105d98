package fleet

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/store"
)

// storeTimeout bounds a store write made after a job's own context ended.
const storeTimeout = 30 * time.Second

// errPermanent marks a site error another attempt cannot mend.
var errPermanent = errors.New("permanent")

type siteWorker struct {
	river.WorkerDefaults[crawlArgs]
	c *Client
}

// Work runs one attempt at a site: it honours the run's state and the
// domain's politeness, scans, and stores the site's result once.
func (w *siteWorker) Work(ctx context.Context, job *river.Job[crawlArgs]) error {
	c, a := w.c, job.Args
	run, err := c.st.Run(ctx, a.RunID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return river.JobCancel(fmt.Errorf("run %d: %w", a.RunID, err))
	case err != nil:
		return fmt.Errorf("read run %d: %w", a.RunID, err)
	case run.State == store.RunPaused:
		return river.JobSnooze(c.pauseWait())
	case run.State == store.RunCancelled:
		return river.JobCancel(fmt.Errorf("run %d is cancelled", a.RunID))
	}
	prev, err := c.st.CrawlResult(ctx, a.RunID, a.Site)
	if err == nil && prev.State == store.Done {
		return nil // stored by an earlier attempt
	}
	// first: no result yet, not even a failure, so the run's count grows.
	first := errors.Is(err, store.ErrNotFound)
	if job.Attempt >= job.MaxAttempts { // the spare attempt: see insert
		return c.finish(ctx, job, run, first, result{err: errors.New("the worker crawling it stopped without a result on its last attempt")})
	}
	setup, err := c.setup(ctx, run)
	if err != nil {
		return c.finish(ctx, job, run, first, result{err: fmt.Errorf("%w: %w", errPermanent, err)})
	}
	if check := c.cfg.TargetCheck; check != nil {
		if err := check(ctx, a.Site); err != nil {
			return c.finish(ctx, job, run, first, result{err: fmt.Errorf("%w: %w", errPermanent, err)})
		}
	}
	if wait, err := c.claim(ctx, a.Site); err != nil || wait > 0 {
		if err != nil {
			return err
		}
		return river.JobSnooze(wait)
	}
	if err := c.st.MarkCrawling(ctx, a.RunID, a.Site, c.cfg.Name); err != nil {
		return err
	}
	res := c.scan(ctx, setup, a)
	if errors.Is(ctx.Err(), context.Canceled) && !errors.Is(res.err, errPermanent) {
		// Stopped by the worker's shutdown: give the site back at once.
		c.unmark(ctx, a)
		c.cfg.Logger.Info("site released", "run", a.RunID, "site", a.Site)
		return river.JobSnooze(0)
	}
	return c.finish(ctx, job, run, first, res)
}

// claim takes the site's registrable domain for one visit; a positive
// wait says another visit to it is too recent. A little jitter keeps the
// jobs of one domain from waking together.
func (c *Client) claim(ctx context.Context, site string) (time.Duration, error) {
	if c.cfg.Politeness == 0 {
		return 0, nil
	}
	u, err := url.Parse(site)
	if err != nil {
		return 0, nil
	}
	domain := party.RegistrableDomain(u.Hostname())
	if domain == "" {
		domain = u.Hostname()
	}
	wait, err := c.st.ClaimDomain(ctx, domain, c.cfg.Politeness)
	if err != nil || wait == 0 {
		return 0, err
	}
	return wait + rand.N(c.cfg.Politeness/4+time.Millisecond), nil
}

func (c *Client) pauseWait() time.Duration { return max(5*time.Second, 5*c.cfg.PollInterval) }

// finish stores the outcome: a report, a failure when no attempt is left
// or another cannot help, or else an error for River to retry.
func (c *Client) finish(ctx context.Context, job *river.Job[crawlArgs], run store.Run, first bool, res result) error {
	a := job.Args
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	defer c.unmark(sctx, a)
	r := store.CrawlResult{RunID: a.RunID, Site: a.Site, Rank: a.Rank, Attempt: job.Attempt, Worker: c.cfg.Name}
	switch {
	case res.err == nil:
		r.State, r.Report, r.HARRef = store.Done, res.report, res.harRef
	case job.Attempt < job.MaxAttempts-1 && !errors.Is(res.err, errPermanent):
		c.cfg.Logger.Warn("site attempt failed", "run", a.RunID, "site", a.Site, "attempt", job.Attempt, "err", res.err)
		return res.err
	default:
		r.State, r.Error = store.Failed, res.err.Error()
	}
	stored, err := c.st.PutCrawlResult(sctx, r)
	if err != nil {
		return fmt.Errorf("store result of %s: %w", a.Site, err)
	}
	c.cfg.Logger.Info("site "+string(r.State), "run", a.RunID, "site", a.Site, "attempt", job.Attempt, "stored", stored, "err", r.Error)
	if stored && first {
		c.maybeFinish(sctx, run)
	}
	return nil
}

// maybeFinish counts a site's first result and, once the count reaches the
// run's total, marks the run finished if every site has a result: the
// exact count runs once near the end, not after every site.
func (c *Client) maybeFinish(ctx context.Context, run store.Run) {
	n, err := c.st.NoteResult(ctx, run.ID)
	if err != nil || n < run.Total {
		return
	}
	if done, err := c.st.FinishRunIfComplete(ctx, run.ID); err == nil && done {
		c.cfg.Logger.Info("run finished", "run", run.ID)
	}
}

func (c *Client) unmark(ctx context.Context, a crawlArgs) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	if err := c.st.UnmarkCrawling(ctx, a.RunID, a.Site); err != nil {
		c.cfg.Logger.Warn("unmark site", "site", a.Site, "err", err)
	}
}

// retryPolicy retries a site soon: 5s, 20s, 45s… capped at 5 minutes,
// instead of River's default, which waits hours by the tenth attempt.
type retryPolicy struct{}

func (retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	n := time.Duration(max(len(job.Errors), 1))
	return time.Now().Add(min(5*time.Second*n*n, 5*time.Minute))
}
