package fleet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/redact"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// runSetup is what every site of a run shares, prepared once per worker.
type runSetup struct {
	opts     RunOptions
	pool     *leak.Pool
	personas []redact.PersonaValue
}

// result is one attempt's outcome.
type result struct {
	report []byte
	harRef string
	err    error
}

// setup returns the run's prepared options, parsing them on first use.
func (c *Client) setup(ctx context.Context, run store.Run) (*runSetup, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.runs[run.ID]; s != nil {
		return s, nil
	}
	opts, err := parseRunOptions(run.Options)
	if err != nil {
		return nil, err
	}
	if opts.HAR && c.cfg.HARs == nil {
		return nil, fmt.Errorf("run %d keeps HARs but this worker has no --har-dir or --har-store", run.ID)
	}
	s := &runSetup{opts: opts}
	if opts.PersonaRef != "" {
		text, err := c.st.Persona(ctx, opts.PersonaRef)
		if err != nil {
			return nil, fmt.Errorf("run %d's persona: %w (the worker needs the %s the run was enqueued with)", run.ID, err, store.KeyEnv)
		}
		opts.Persona = string(text)
	}
	if opts.Persona != "" {
		ps, err := leak.ParsePersonas([]byte(opts.Persona), "persona")
		if err != nil {
			return nil, err
		}
		s.pool, _ = leak.NewPool(ps)
		for _, p := range ps {
			for _, v := range p.Values() {
				s.personas = append(s.personas, redact.PersonaValue(v))
			}
		}
	}
	c.runs[run.ID] = s
	return s, nil
}

// scan crawls the site in a fresh context of the worker's Chromium,
// audits the capture and keeps the HAR when the run asks.
func (c *Client) scan(ctx context.Context, s *runSetup, a crawlArgs) result {
	b, release, err := c.chrome.get(ctx)
	if err != nil {
		return result{err: fmt.Errorf("start Chromium: %w", err)}
	}
	defer release()
	budget := c.cfg.SiteTimeout
	copts := crawl.Options{Start: []string{a.Site}, Depth: s.opts.Depth, MaxPages: s.opts.MaxPages, Tabs: 1,
		Quiet: 500 * time.Millisecond, PageTimeout: min(30*time.Second, budget/2),
		// The crawl stops in time to leave a quarter of the budget to the
		// analysis; what it captured by then is reported, marked.
		Timeout: budget * 3 / 4, Consent: s.opts.Consent,
		Logger: c.cfg.Logger.With("run", a.RunID, "site", a.Site)}
	if s.opts.Consent != "" {
		copts.ConsentRules = c.cfg.ConsentRules
	}
	started := time.Now()
	capture, crawlErr := crawl.Run(ctx, b, copts)
	if ctx.Err() != nil {
		return result{err: fmt.Errorf("crawl: %w", context.Cause(ctx))}
	}
	if capture == nil {
		// No context could be made: Chromium is likely gone.
		c.chrome.broken(b, crawlErr)
		return result{err: fmt.Errorf("crawl: %w", crawlErr)}
	}
	if err := loaded(capture); err != nil {
		return result{err: err}
	}
	var stepErr *crawl.StepError
	if crawlErr != nil && !errors.As(crawlErr, &stepErr) {
		capture.Warnings = append(capture.Warnings, "crawl stopped early: "+crawlErr.Error())
	}
	incomplete := ""
	if time.Since(started) >= copts.Timeout {
		incomplete = fmt.Sprintf("the site's crawl budget of %s ran out: the report covers what was captured until then", copts.Timeout)
	}
	return c.report(ctx, s, a, capture, incomplete)
}

// loaded fails a capture in which no page loaded (the site is down or
// refused us), so that it is retried and, at last, stored as a failure.
func loaded(c *traffic.Capture) error {
	for _, p := range c.Pages {
		if p.Error == "" {
			return nil
		}
	}
	if len(c.Pages) == 0 {
		return errors.New("no page was visited")
	}
	return fmt.Errorf("no page loaded: %s", c.Pages[0].Error)
}

// report audits the capture, masks the persona's values and redacts
// secrets, as a scan's saved report does.
func (c *Client) report(ctx context.Context, s *runSetup, a crawlArgs, capture *traffic.Capture, incomplete string) result {
	rep, err := audit.Run(ctx, audit.Options{Classifier: c.classifier, Pool: s.pool,
		Tool: audit.Tool{Name: "leakwatch", Version: c.cfg.Version}, Workers: 1}, capture)
	if err != nil {
		return result{err: fmt.Errorf("audit: %w", err)}
	}
	if incomplete != "" {
		rep.Incomplete = incomplete
		rep.Warnings = append([]string{"incomplete: " + incomplete}, rep.Warnings...)
	}
	red := redact.NewRedactor(redact.Options{})
	if err := capture.Visit(red.Learner()); err != nil {
		return result{err: fmt.Errorf("redact: %w", err)}
	}
	redact.MaskReport(rep, s.personas)
	red.Report(rep)
	js, err := json.Marshal(rep)
	if err != nil {
		return result{err: fmt.Errorf("report JSON: %w", err)}
	}
	res := result{report: js}
	if s.opts.HAR {
		var buf bytes.Buffer
		out := redact.Capture(capture, redact.Options{})
		if err := har.Write(&buf, out, har.WriteOptions{CreatorName: "leakwatch", CreatorVersion: c.cfg.Version}); err != nil {
			return result{err: fmt.Errorf("write HAR: %w", err)}
		}
		if res.harRef, err = c.cfg.HARs.PutHAR(ctx, a.RunID, a.Site, buf.Bytes()); err != nil {
			return result{err: fmt.Errorf("keep HAR: %w", err)}
		}
	}
	return res
}
