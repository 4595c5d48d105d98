package fleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/leakwatch/leakwatch/internal/store"
)

// insertBatch is how many jobs one insert carries.
const insertBatch = 1000

// crawlArgs is one site of a run. Round tells a site enqueued again by
// RetryFailed from its first job, so River's uniqueness by arguments
// keeps one job per (run, site, round).
type crawlArgs struct {
	RunID int64  `json:"run_id"`
	Site  string `json:"site"`
	Rank  int    `json:"rank,omitempty"`
	Round int64  `json:"round,omitempty"`
}

func (crawlArgs) Kind() string { return "leakwatch_crawl_site" }

// Enqueue creates a run over sites with opts and inserts one job per site
// in the crawl queue. The run counts every site from the start, so its
// progress is right even while the jobs are being inserted.
func (c *Client) Enqueue(ctx context.Context, name string, sites []Site, opts RunOptions) (store.Run, error) {
	if len(sites) == 0 {
		return store.Run{}, fmt.Errorf("%w: no sites to crawl", ErrConfig)
	}
	if err := opts.Validate(); err != nil {
		return store.Run{}, err
	}
	if opts.Persona != "" {
		ref, err := c.sealPersona(ctx, opts.Persona)
		if err != nil {
			return store.Run{}, err
		}
		opts.Persona, opts.PersonaRef = "", ref
	}
	raw, err := json.Marshal(opts)
	if err != nil {
		return store.Run{}, fmt.Errorf("fleet: run options: %w", err)
	}
	run, err := c.st.CreateRun(ctx, store.Run{Name: name, Total: len(sites), Options: raw})
	if err != nil {
		return store.Run{}, fmt.Errorf("fleet: %w", err)
	}
	if _, err := c.insert(ctx, run.ID, sites, 0); err != nil {
		return run, fmt.Errorf("%w (enqueue the same sites again with EnqueueMore into run %d: sites already queued are not queued twice)", err, run.ID)
	}
	return run, nil
}

// EnqueueMore queues sites into an existing run again, for an Enqueue
// that stopped part-way: jobs are unique per (run, site), so sites
// already queued are not queued twice, and the run's total is not
// changed (give the same sites).
func (c *Client) EnqueueMore(ctx context.Context, runID int64, sites []Site) error {
	run, err := c.st.Run(ctx, runID)
	if err != nil {
		return fmt.Errorf("fleet: %w", err)
	}
	if len(sites) != run.Total {
		return fmt.Errorf("%w: run %d was enqueued with %d sites, this list has %d: give the same list", ErrConfig, runID, run.Total, len(sites))
	}
	_, err = c.insert(ctx, runID, sites, 0)
	return err
}

// insert adds the jobs of sites to a run, in batches; a job already there
// (same run, site and round) is not added twice. On an error it returns
// how many sites (a prefix of sites) were queued before it.
func (c *Client) insert(ctx context.Context, runID int64, sites []Site, round int64) (int, error) {
	opts := &river.InsertOpts{Queue: QueueCrawl, MaxAttempts: c.cfg.Attempts + 1,
		UniqueOpts: river.UniqueOpts{ByArgs: true}}
	for start := 0; start < len(sites); start += insertBatch {
		batch := sites[start:min(start+insertBatch, len(sites))]
		params := make([]river.InsertManyParams, len(batch))
		for i, s := range batch {
			params[i] = river.InsertManyParams{Args: crawlArgs{RunID: runID, Site: s.URL, Rank: s.Rank, Round: round}, InsertOpts: opts}
		}
		if _, err := c.q.InsertMany(ctx, params); err != nil {
			return start, fmt.Errorf("fleet: enqueue sites %d-%d of run %d: %w", start+1, start+len(batch), runID, err)
		}
	}
	return len(sites), nil
}

// RetryFailed enqueues again every site of a run whose result is a
// failure, and returns how many. Their failures are removed; the run is
// active again.
func (c *Client) RetryFailed(ctx context.Context, runID int64) (int, error) {
	run, err := c.st.Run(ctx, runID)
	if err != nil {
		return 0, fmt.Errorf("fleet: %w", err)
	}
	if run.State == store.RunCancelled {
		return 0, fmt.Errorf("fleet: run %d is cancelled: %w", runID, store.ErrConflict)
	}
	failed, err := c.st.TakeFailed(ctx, runID)
	if err != nil || len(failed) == 0 {
		return 0, err
	}
	sites := make([]Site, len(failed))
	for i, f := range failed {
		sites[i] = Site{URL: f.Site, Rank: f.Rank}
	}
	n, err := c.insert(ctx, runID, sites, time.Now().UnixMicro())
	if err != nil {
		// The failures of sites not queued again go back, so the run
		// still accounts for every site.
		for _, f := range failed[n:] {
			if _, perr := c.st.PutCrawlResult(context.WithoutCancel(ctx), f); perr != nil {
				return n, errors.Join(err, fmt.Errorf("fleet: restore the failure of %s: %w", f.Site, perr))
			}
			if _, perr := c.st.NoteResult(context.WithoutCancel(ctx), runID); perr != nil {
				return n, errors.Join(err, perr)
			}
		}
		return n, err
	}
	return len(sites), nil
}

// sealPersona stores a run's persona encrypted among the store's personas
// under a fresh name (crawl-<random>) and returns the name. Without the
// store's key it refuses: the persona would otherwise sit in the clear in
// the run's options, on every backup of the database.
func (c *Client) sealPersona(ctx context.Context, persona string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("fleet: persona name: %w", err)
	}
	ref := "crawl-" + hex.EncodeToString(b[:])
	if err := c.st.PutPersona(ctx, ref, []byte(persona)); err != nil {
		if errors.Is(err, store.ErrNoKey) {
			return "", fmt.Errorf("%w: a run's persona is stored encrypted: set %s (the same on every worker)", ErrConfig, store.KeyEnv)
		}
		return "", fmt.Errorf("fleet: store the run's persona: %w", err)
	}
	return ref, nil
}
