package fleet

import (
	"context"
	"fmt"
	"sync"

	"github.com/riverqueue/river"

	"github.com/leakwatch/leakwatch/internal/jobs"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/store"
)

// QueueCrawl is the River queue of crawl jobs, one job per (run, site).
const QueueCrawl = "crawl"

// Client enqueues and controls runs and, with a positive Concurrency,
// works their sites.
type Client struct {
	cfg   Config
	st    store.Store
	q     jobs.RiverQueue
	close func()

	// Worker state.
	classifier *party.Classifier
	chrome     *chromium
	mu         sync.Mutex
	runs       map[int64]*runSetup // parsed options and persona pool, per run
}

// Open connects River to the database dsn names (as store.Open reads it),
// runs River's migrations and returns a stopped Client whose results go
// to st.
func Open(ctx context.Context, dsn string, st store.Store, cfg Config) (*Client, error) {
	if st == nil {
		return nil, fmt.Errorf("%w: a store is required", ErrConfig)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg.withDefaults(), st: st, runs: map[int64]*runSetup{}}
	if c.cfg.Concurrency > 0 {
		cl, err := party.NewClassifier(ctx, party.Options{})
		if err != nil {
			return nil, fmt.Errorf("fleet: %w", err)
		}
		c.classifier = cl
		c.chrome = &chromium{args: c.cfg.ChromeArgs, log: c.cfg.Logger}
	}
	// River's leader, notifier, producer and completer each hold a
	// PostgreSQL connection at times; jobs use the store's own pool.
	q, closeQ, err := jobs.OpenRiver(ctx, dsn, 6+c.cfg.Concurrency, c.riverConfig())
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	c.q, c.close = q, closeQ
	return c, nil
}

func (c *Client) riverConfig() *river.Config {
	cfg := &river.Config{
		ID:     c.cfg.Name,
		Logger: c.cfg.Logger,
	}
	if c.cfg.Concurrency == 0 {
		return cfg // insert only
	}
	w := river.NewWorkers()
	river.AddWorker(w, &siteWorker{c: c})
	cfg.Workers = w
	cfg.Queues = map[string]river.QueueConfig{QueueCrawl: {MaxWorkers: c.cfg.Concurrency}}
	cfg.JobTimeout = c.cfg.SiteTimeout
	cfg.RescueStuckJobsAfter = c.cfg.rescueAfter()
	cfg.FetchPollInterval = c.cfg.PollInterval
	cfg.FetchCooldown = min(c.cfg.PollInterval, river.FetchCooldownDefault)
	cfg.RetryPolicy = retryPolicy{}
	return cfg
}

// Start works jobs until Stop; only a Client with Concurrency does.
func (c *Client) Start(ctx context.Context) error {
	if c.cfg.Concurrency == 0 {
		return fmt.Errorf("%w: a client without concurrency works no jobs", ErrConfig)
	}
	if err := c.q.Start(ctx); err != nil {
		return fmt.Errorf("fleet: start: %w", err)
	}
	return nil
}

// Stop takes no new jobs and waits for running sites to finish or ctx to
// end. StopAndCancel then releases the sites still running: they go back
// to the queue at once, for another worker.
func (c *Client) Stop(ctx context.Context) error {
	if err := c.q.Stop(ctx); err != nil {
		return fmt.Errorf("fleet: stop: %w", err)
	}
	return nil
}

// StopAndCancel cancels running sites (releasing them) and waits for
// their jobs to return.
func (c *Client) StopAndCancel(ctx context.Context) error {
	if err := c.q.StopAndCancel(ctx); err != nil {
		return fmt.Errorf("fleet: stop: %w", err)
	}
	return nil
}

// Close releases the queue's database connection and the worker's
// Chromium. Stop the client first.
func (c *Client) Close() error {
	var err error
	if c.chrome != nil {
		err = c.chrome.close()
	}
	c.close()
	return err
}
